# OrleansLua silo image (RESP gateway co-hosted; also holds the standalone gateway). Build from the repository root:
#   docker build -t orleanslua:latest .
# .NET 10 images are Ubuntu 24.04 (glibc; no Debian images exist for .NET 10): KeraLua's liblua54.so needs glibc,
# so not -alpine. Run: see k8s/ and README "Deploy on Kubernetes".

FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
WORKDIR /src
# Restore first, from the project files only, so the layer is reused while only sources change.
COPY Directory.Build.props Directory.Packages.props ./
COPY protocol/OrleansLua.Protocol.csproj protocol/
COPY grain-interfaces/OrleansLua.GrainInterfaces.csproj grain-interfaces/
COPY grains/OrleansLua.Grains.csproj grains/
COPY client/OrleansLua.Client.csproj client/
COPY silo/OrleansLua.Silo.csproj silo/
RUN dotnet restore silo/OrleansLua.Silo.csproj -r linux-x64 && dotnet restore client/OrleansLua.Client.csproj -r linux-x64
COPY protocol/ protocol/
COPY grain-interfaces/ grain-interfaces/
COPY grains/ grains/
COPY client/ client/
COPY silo/ silo/
# Framework-dependent for linux-x64: carries runtimes/linux-x64/native/liblua54.so next to the dll. The standalone
# gateway (k8s/components/standalone-gateway runs `dotnet OrleansLua.Client.dll`) goes into the same directory:
# it shares every assembly with the silo, and gets its own deps.json and runtimeconfig.json.
RUN dotnet publish silo/OrleansLua.Silo.csproj -c Release -r linux-x64 --self-contained false --no-restore \
      -p:UseAppHost=false -o /app \
 && dotnet publish client/OrleansLua.Client.csproj -c Release -r linux-x64 --self-contained false --no-restore \
      -p:UseAppHost=false -o /app

FROM mcr.microsoft.com/dotnet/runtime:10.0-noble
WORKDIR /app
COPY --from=build /app ./
# Non-root: the images' "app" user (UID 1654); the pod's securityContext runs as the same UID.
USER $APP_UID
# RESP, Orleans silo-to-silo, Orleans client gateway, health probes (--health-port).
EXPOSE 6379 11111 30000 8080
ENTRYPOINT ["dotnet", "OrleansLua.Silo.dll"]

using System.Diagnostics;

namespace OrleansLua.Tests.Infrastructure;

/// <summary>Runs the real redis-cli binary against a gateway.</summary>
public static class RedisCli
{
    public static (string Output, int ExitCode) Run(int port, string[] args, string? stdin = null, string? password = null)
    {
        var psi = new ProcessStartInfo("redis-cli")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-p");
        psi.ArgumentList.Add(port.ToString());
        // REDISCLI_AUTH, not -a: the password stays off the command line (and out of ps)
        if (password is not null) psi.Environment["REDISCLI_AUTH"] = password;
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("redis-cli did not start");
        // read while writing: a long input's replies would otherwise fill the output pipe and block both sides
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        if (!process.WaitForExit(30_000))
        {
            process.Kill();
            throw new TimeoutException("redis-cli timed out");
        }
        return (output.Result + error.Result, process.ExitCode);
    }

    public static string Exec(int port, params string[] args) => Run(port, args).Output;

    /// <summary>As the given password's user (AUTH before the command).</summary>
    public static string ExecAuth(int port, string password, params string[] args) => Run(port, args, password: password).Output;
}

using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("OrleansLua.Tests")]

using AgentVault.Fuzz;
using SharpFuzz;

// agent-vault fuzz harness. Usage:
//   AgentVault.Broker.Tests.dll <target>                 under afl-fuzz (input on stdin, SharpFuzz's fork server)
//   AgentVault.Broker.Tests.dll <target> --replay PATH…  runs files (or every file of folders) once, e.g. a crash AFL saved
//   AgentVault.Broker.Tests.dll <target> --random N      N random mutations of the seed corpus, no AFL (plain runner)
//   AgentVault.Broker.Tests.dll --list                   the target names
if (args.Length == 0 || args[0] is "--list" or "-h" or "--help")
{
    Console.WriteLine(string.Join('\n', FuzzTargets.All.Keys));
    return args.Length == 0 ? 2 : 0;
}

if (!FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"unknown target '{args[0]}'; one of: {string.Join(", ", FuzzTargets.All.Keys)}");
    return 2;
}

if (args.Length >= 3 && args[1] == "--replay")
{
    return Replay.Run(target, args[2..]);
}

if (args.Length == 4 && args[1] == "--random" && int.TryParse(args[2], out var count))
{
    return RandomRunner.Run(target, args[3], count);
}

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: <target> | <target> --replay PATH... | <target> --random N CORPUS_DIR | --list");
    return 2;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target(buffer.ToArray());
});
return 0;

namespace AgentVault.Functional.Tests.Docs;

/// <summary>One <c>$ command</c> of a <c>```console</c> block and the output the document shows for it.</summary>
/// <param name="Source">Where it is written, <c>README.md:57</c>.</param>
/// <param name="Command">The command as typed (continuation lines joined with their backslash-newlines).</param>
/// <param name="Expected">The documented output lines (see <see cref="OutputMatcher"/>).</param>
/// <param name="ExitCode">The documented exit status: 0, or N when the output ends with a line <c>[exit N]</c>.</param>
internal sealed record DocumentedCommand(string Source, string Command, IReadOnlyList<string> Expected, int ExitCode)
{
    public override string ToString() => $"{Source}: $ {Command}";
}

/// <summary>A <c>```console</c> block: its commands in order; <see cref="Server"/> for the block tagged <c>```console server</c>.</summary>
internal sealed record DocumentedBlock(string Source, bool Server, IReadOnlyList<DocumentedCommand> Commands);

using System.Text;

namespace AgentVault.Fuzz;

/// <summary>Turns AFL's bytes into the text shapes the parsers take.</summary>
internal static class FuzzInput
{
    /// <summary>UTF-8 with invalid sequences replaced (what ASP.NET Core and System.Text.Json hand the broker).</summary>
    public static string Text(byte[] data) => Encoding.UTF8.GetString(data);

    /// <summary>One byte per char: how HTTP header bytes reach the broker's own parsers.</summary>
    public static string Latin1(byte[] data) => Encoding.Latin1.GetString(data);

    /// <summary>The input's lines (split at LF only, so a CR stays in the text the parser sees).</summary>
    public static string[] Lines(byte[] data) => Text(data).Split('\n');
}

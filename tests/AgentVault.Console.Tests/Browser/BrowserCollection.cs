namespace AgentVault.Console.Tests.Browser;

/// <summary>The browser tests share one Chromium (<see cref="BrowserSession"/>) and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserSession>
{
    public const string Name = "browser";
}

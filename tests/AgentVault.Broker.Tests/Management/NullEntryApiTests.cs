using System.Net;

namespace AgentVault.Broker.Tests.Management;

/// <summary>
/// A <c>null</c> where the API expects an object or a list entry is a 400 naming the place, on every write endpoint, never
/// a 500 (fuzzing found it in <c>apply</c>; these are the other bodies that carry lists or objects).
/// </summary>
public sealed class NullEntryApiTests
{
    [Theory]
    [InlineData("v1/vaults/ops", """{ "services": [null] }""")]
    [InlineData("v1/vaults/ops", """{ "services": [{ "name": "s", "host": "h.example", "substitutions": [null] }] }""")]
    [InlineData("v1/vaults/dev/services", """[null]""")]
    [InlineData("v1/vaults/dev/services", """{ "name": "s", "host": "h.example", "substitutions": [null] }""")]
    [InlineData("v1/vaults/dev/credentials", """{ "KEY": null }""")]
    [InlineData("v1/stores/extra", """null""")]
    [InlineData("v1/vaults/ops", """null""")]
    public async Task NullInsideAWriteBody_Is400NotACrash(string path, string body)
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);

        using var response = await host.Admin.PutAsync(path, ManagementTestHost.Json(body));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}

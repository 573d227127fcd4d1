using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Console.Tests.Browser;
using Microsoft.Playwright;

namespace AgentVault.Console.Tests.Pages;

/// <summary>
/// The approvals page in Chromium with a request waiting: it passes axe, and a person's click on "Approve for 10 minutes"
/// releases the request to the upstream and shows the standing grant it created.
/// </summary>
public sealed class ApprovalPageBrowserTests(BrowserSession browser, ConsoleBroker broker) : BrowserTest(browser), IClassFixture<ConsoleBroker>
{
    protected override Uri? BaseUrl => broker.ApiUrl;

    [Fact]
    public async Task HeldRequest_IsApprovedForTenMinutes_InTheBrowser()
    {
        using (var api = broker.Environment.Process.CreateApiClient())
        {
            using var held = await api.PutAsync(new Uri($"/v1/vaults/{ConsoleBroker.Vault}/services", UriKind.Relative), JsonContent.Create(new JsonObject
            {
                ["services"] = new JsonArray(new JsonObject
                {
                    ["name"] = "held-api",
                    ["host"] = $"{ConsoleBroker.UpstreamHost}:{broker.Upstream.Port}/held/**",
                    ["auth"] = new JsonObject { ["type"] = "passthrough" },
                    ["rules"] = new JsonObject { ["approve"] = new JsonArray("POST /held/**") },
                }),
            }));
            Assert.True(held.IsSuccessStatusCode, await held.Content.ReadAsStringAsync());
        }

        var marker = Guid.NewGuid().ToString("N");
        using var client = broker.Environment.CreateClient(broker.AgentToken, ConsoleBroker.Vault);
        var pending = client.PostAsync(new Uri(broker.Upstream.BaseUri(ConsoleBroker.UpstreamHost), $"/held/{marker}"), new StringContent("from the browser test"));
        var id = await WaitForHeldAsync(marker);
        var page = Tab.Page;
        await broker.SignInAsync(page);

        await page.GotoAsync("/ui/approvals");
        await Assertions.Expect(page.Locator($"tr[data-approval-id={id}]")).ToContainTextAsync($"/held/{marker}");
        await Accessibility.AssertAccessibleAsync(page);
        Assert.False(broker.Upstream.Saw(marker));
        await page.GetByRole(AriaRole.Button, new() { Name = $"Approve for 10 minutes {id}" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Request {id} approved; matching requests of {ConsoleBroker.Agent} pass until");
        await Assertions.Expect(page.Locator("tr[data-grant-id]")).ToContainTextAsync("POST /held/**");
        await Accessibility.AssertAccessibleAsync(page);
        using var response = await pending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(broker.Upstream.Saw(marker));
    }

    private async Task<string> WaitForHeldAsync(string marker)
    {
        using var api = broker.Environment.Process.CreateApiClient();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < until)
        {
            using var list = JsonDocument.Parse(await api.GetStringAsync(new Uri("/v1/approvals?status=pending", UriKind.Relative)));
            foreach (var item in list.RootElement.GetProperty("items").EnumerateArray())
            {
                if (item.GetProperty("path").GetString()!.Contains(marker, StringComparison.Ordinal))
                {
                    return item.GetProperty("id").GetString()!;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the request was never held");
    }
}

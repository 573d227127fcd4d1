using AgentVault.Broker.Management;
using AgentVault.Broker.Tests.Management.Fakes;

namespace AgentVault.Broker.Tests.Management;

public sealed class ConfigValidatorTests
{
    private readonly ConfigValidator _validator = new(ManagementPlugins.Catalog());

    // Fuzz crash inputs (config target, e.g. "vaults: [null, {name: ~}]"): a null entry threw NullReferenceException, a 500 on apply.
    [Theory]
    [InlineData("""{"vaults":[null,{"name":null}]}""", "vaults[0]")]
    [InlineData("""{"stores":[{"name":"a","type":"fake"},null]}""", "stores[1]")]
    [InlineData("""{"agents":[null]}""", "agents[0]")]
    [InlineData("""{"vaults":[{"name":"v","services":[null]}]}""", "vaults[0].services[0]")]
    [InlineData("""{"vaults":[{"name":"v","services":[{"name":"s","host":"h.example","substitutions":[null]}]}]}""", "vaults[0].services[0].substitutions[0]")]
    public void NullEntry_IsAnErrorNotACrash(string json, string path)
    {
        var errors = _validator.Validate(ConfigJson.Document(json));

        Assert.Equal(path, Assert.Single(errors).Path);
    }

    [Fact]
    public void ValidDocument_HasNoErrors()
    {
        Assert.Empty(_validator.Validate(ConfigJson.Document(ConfigJson.Valid)));
    }

    [Theory]
    [InlineData("stores[1].settings.auth.secret_id", "\"local:vault-secret-id\"")]
    [InlineData("stores[1].settings.auth.secret_id", "\"file:/run/secrets/secret_id\"")]
    [InlineData("stores[1].settings.api_key", "\"env:HCV_API_KEY\"")]
    [InlineData("stores[0].settings", "{ \"path\": \"/var/lib/av/secrets.enc\", \"auth\": { \"client_token\": \"env:T\" } }")]
    [InlineData("stores[0].cache", "{ \"ttl\": \"0\", \"max_stale\": \"0\" }")]
    [InlineData("vaults[0].unmatched", "\"passthrough\"")]
    [InlineData("vaults[0].unmatched", null)]
    [InlineData("vaults[0].services[0].host", "\"*.github.com:443/api/**\"")]
    [InlineData("vaults[0].services[0].rate_limit", "\"10/s\"")]
    [InlineData("vaults[0].services[0].rate_limit", "\"1000/h\"")]
    [InlineData("vaults[0].services[0].redact", "\"strict\"")]
    [InlineData("vaults[0].services[1].substitutions[0].in", "[\"path\", \"query\", \"header\", \"body\", \"websocket\"]")]
    [InlineData("vaults[0].services[1].substitutions[0].in", null)]
    [InlineData("vaults[0].credentials.AWS_KEY", "\"hcv:aws/creds/role?version=2#access_key\"")]
    [InlineData("agents[0].rate_limit", "\"50/s\"")]
    public void AcceptedVariation_HasNoErrors(string path, string? value)
    {
        var errors = _validator.Validate(ConfigJson.Document(ConfigJson.Edit(ConfigJson.Valid, path, value)));
        Assert.True(errors.Count == 0, string.Join("; ", errors));
    }

    [Theory]
    [InlineData("stores[0].name", "\"Local\"", "stores[0].name", "lower-case")]
    [InlineData("stores[0].name", "\"env\"", "stores[0].name", "reserved")]
    [InlineData("stores[1].name", "\"local\"", "stores[1].name", "duplicate store name 'local'")]
    [InlineData("stores[0].type", "\"\"", "stores[0].type", "required")]
    [InlineData("stores[1].settings.auth.secret_id", "\"hcv:secret/self\"", "stores[1].settings.auth.secret_id", "itself")]
    [InlineData("stores[1].settings.auth.secret_id", "\"env:\"", "stores[1].settings.auth.secret_id", "environment variable name")]
    [InlineData("stores[1].settings.auth.secret_id", "\"file:relative/path\"", "stores[1].settings.auth.secret_id", "absolute path")]
    [InlineData("stores[1].settings.auth.secret_id", "\"nostore:abc\"", "stores[1].settings.auth.secret_id", "must be a reference")]
    [InlineData("stores[1].settings.api_key", "12345", "stores[1].settings.api_key", "must be a reference")]
    [InlineData("stores[1].settings.address", null, "stores[1].settings.address", "address is required")]
    [InlineData("stores[0].settings", "{ \"db\": { \"admin_password\": \"env:OK\", \"Private-Key\": \"-----BEGIN\" } }", "stores[0].settings.db.Private-Key", "must be a reference")]
    [InlineData("stores[0].settings", "{ \"servers\": [ { \"token\": \"abc\" } ] }", "stores[0].settings.servers[0].token", "must be a reference")]
    [InlineData("stores[0].cache", "{ \"ttl\": \"5 minutes\" }", "stores[0].cache.ttl", "duration")]
    [InlineData("stores[0].cache", "{ \"max_stale\": \"-1s\" }", "stores[0].cache.max_stale", "duration")]
    [InlineData("vaults[0].name", "\"Dev!\"", "vaults[0].name", "lower-case")]
    [InlineData("vaults[0].unmatched", "\"allow\"", "vaults[0].unmatched", "deny or passthrough")]
    [InlineData("vaults[0].credentials.github", "\"hcv:x\"", "vaults[0].credentials.github", "UPPER_SNAKE_CASE")]
    [InlineData("vaults[0].credentials.X", "\"nostorepath\"", "vaults[0].credentials.X", "store name and a colon")]
    [InlineData("vaults[0].credentials.X", "\"hcv:\"", "vaults[0].credentials.X", "is empty")]
    [InlineData("vaults[0].credentials.X", "\"aws:prod/stripe#api_key\"", "vaults[0].credentials.X", "store 'aws' is not configured")]
    [InlineData("vaults[0].credentials.X", "{ \"ref\": \"local:x\", \"ttl\": \"soon\" }", "vaults[0].credentials.X.ttl", "duration")]
    [InlineData("vaults[0].services[0].name", "\"GitHub\"", "vaults[0].services[0].name", "lower-case")]
    [InlineData("vaults[0].services[1].name", "\"github\"", "vaults[0].services[1].name", "duplicate service name 'github'")]
    [InlineData("vaults[0].services[0].host", "\"10.0.0.1\"", "vaults[0].services[0].host", "IP literals")]
    [InlineData("vaults[0].services[0].host", "\"https://api.github.com\"", "vaults[0].services[0].host", "scheme")]
    [InlineData("vaults[0].services[0].host", "\"*.com\"", "vaults[0].services[0].host", "wildcard")]
    [InlineData("vaults[0].services[0].auth", null, "vaults[0].services[0].auth.type", "required")]
    [InlineData("vaults[0].services[0].auth", "{ \"token\": \"GITHUB_TOKEN\" }", "vaults[0].services[0].auth.type", "required")]
    [InlineData("vaults[0].services[0].auth.type", "\"oauth9\"", "vaults[0].services[0].auth.type", "unknown auth scheme 'oauth9'")]
    [InlineData("vaults[0].services[0].auth.token", "\"NOPE\"", "vaults[0].services[0].auth.token", "credential 'NOPE' is not defined in vault 'dev'")]
    [InlineData("vaults[0].services[0].auth", "{ \"type\": \"basic\", \"password\": \"GITHUB_TOKEN\" }", "vaults[0].services[0].auth.username", "is required")]
    [InlineData("vaults[0].services[1].substitutions[0].key", "\"MISSING\"", "vaults[0].services[1].substitutions[0].key", "not defined in vault 'dev'")]
    [InlineData("vaults[0].services[1].substitutions[0].placeholder", "\"abc\"", "vaults[0].services[1].substitutions[0].placeholder", "4 to 128")]
    [InlineData("vaults[0].services[1].substitutions[0].placeholder", "\"__tg token__\"", "vaults[0].services[1].substitutions[0].placeholder", "4 to 128")]
    [InlineData("vaults[0].services[1].substitutions[0].in", "[\"cookie\"]", "vaults[0].services[1].substitutions[0].in", "'cookie' is not a substitution surface")]
    [InlineData("vaults[0].services[1].substitutions[0].in", "[]", "vaults[0].services[1].substitutions[0].in", "at least one")]
    [InlineData("vaults[0].services[0].rules.allow[0]", "\"GET repos\"", "vaults[0].services[0].rules.allow[0]", "starts with '/'")]
    [InlineData("vaults[0].services[0].rules.deny[0]", "\"/admin\"", "vaults[0].services[0].rules.deny[0]", "METHOD /path")]
    [InlineData("vaults[0].services[0].rules.allow[1]", "\"GE(T /x\"", "vaults[0].services[0].rules.allow[1]", "HTTP method")]
    [InlineData("vaults[0].services[0].rules.approve", "[\"POST charges\"]", "vaults[0].services[0].rules.approve[0]", "starts with '/'")]
    [InlineData("vaults[0].services[0].approval_timeout", "\"2h\"", "vaults[0].services[0].approval_timeout", "from 1s to 1h")]
    [InlineData("vaults[0].services[0].approval_timeout", "\"500ms\"", "vaults[0].services[0].approval_timeout", "from 1s to 1h")]
    [InlineData("vaults[0].services[0].approval_timeout", "\"later\"", "vaults[0].services[0].approval_timeout", "from 1s to 1h")]
    [InlineData("vaults[0].services[0].rate_limit", "\"fast\"", "vaults[0].services[0].rate_limit", "N/s, N/min or N/h")]
    [InlineData("vaults[0].services[0].rate_limit", "\"0/s\"", "vaults[0].services[0].rate_limit", "N/s, N/min or N/h")]
    [InlineData("vaults[0].services[0].rate_limit", "\"10/day\"", "vaults[0].services[0].rate_limit", "N/s, N/min or N/h")]
    [InlineData("vaults[0].services[0].redact", "\"maybe\"", "vaults[0].services[0].redact", "off, on or strict")]
    [InlineData("agents[0].name", "\"Claude\"", "agents[0].name", "lower-case")]
    [InlineData("agents[0].vaults", "[\"prod\"]", "agents[0].vaults[0]", "vault 'prod' does not exist")]
    [InlineData("agents[0].vaults", "[]", "agents[0].vaults", "at least one vault")]
    [InlineData("agents[0].vaults", "[\"dev\", \"dev\"]", "agents[0].vaults[1]", "listed twice")]
    [InlineData("agents[0].rate_limit", "\"lots\"", "agents[0].rate_limit", "N/s")]
    [InlineData("agents[0].max_in_flight", "0", "agents[0].max_in_flight", "at least 1")]
    public void InvalidDocument_ReportsPathAndReason(string path, string? value, string errorPath, string reason)
    {
        var errors = _validator.Validate(ConfigJson.Document(ConfigJson.Edit(ConfigJson.Valid, path, value)));
        Assert.Contains(errors, e => e.Path == errorPath && e.Message.Contains(reason, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("stores[1].settings.auth.secret_id", "s3cr3t-value-xyz")]
    [InlineData("stores[1].settings.auth.secret_id", "abc:s3cr3t-value-xyz")]
    [InlineData("stores[0].settings.password", "s3cr3t-value-xyz")]
    [InlineData("vaults[0].services[0].auth.token", "s3cr3t-value-xyz")]
    public void RawSecret_IsRefusedWithoutEchoingIt(string path, string secret)
    {
        var json = ConfigJson.Edit(ConfigJson.Valid, path, $"\"{secret}\"");
        var errors = _validator.Validate(ConfigJson.Document(json));

        var error = Assert.Single(errors, e => e.Path == path);
        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("xyz", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RawSecretMessage_SaysWhichSettingAndWhatToUse()
    {
        var json = ConfigJson.Edit(ConfigJson.Valid, "stores[1].settings.auth.secret_id", "\"raw\"");
        var error = Assert.Single(_validator.Validate(ConfigJson.Document(json)));
        Assert.Contains("auth.secret_id", error.Message, StringComparison.Ordinal);
        Assert.Contains("env:NAME", error.Message, StringComparison.Ordinal);
        Assert.Contains("file:/", error.Message, StringComparison.Ordinal);
        Assert.Contains("local:NAME", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ManyProblems_AreAllReportedTogether()
    {
        var json = ConfigJson.Valid;
        json = ConfigJson.Edit(json, "stores[0].name", "\"BAD\"");
        json = ConfigJson.Edit(json, "stores[1].settings.auth.secret_id", "\"raw\"");
        json = ConfigJson.Edit(json, "vaults[0].services[0].host", "\"127.0.0.1\"");
        json = ConfigJson.Edit(json, "vaults[0].services[1].substitutions[0].placeholder", "\"x\"");
        json = ConfigJson.Edit(json, "agents[0].vaults", "[\"nope\"]");

        var paths = _validator.Validate(ConfigJson.Document(json)).Select(e => e.Path).ToList();

        Assert.Contains("stores[0].name", paths);
        Assert.Contains("stores[1].settings.auth.secret_id", paths);
        Assert.Contains("vaults[0].services[0].host", paths);
        Assert.Contains("vaults[0].services[1].substitutions[0].placeholder", paths);
        Assert.Contains("agents[0].vaults[0]", paths);

        // local: references now name a store that does not exist under that name any more.
        Assert.Contains("vaults[0].credentials.TG_TOKEN", paths);
    }

    [Fact]
    public void KnownStoresAndVaults_FromOutsideTheDocument_AreAccepted()
    {
        var json = """{ "vaults": [ { "name": "x", "credentials": { "K": "local:k" } } ], "agents": [ { "name": "a", "vaults": ["dev"] } ] }""";
        var document = ConfigJson.Document(json);

        Assert.Equal(2, _validator.Validate(document).Count);
        Assert.Empty(_validator.Validate(document, new HashSet<string> { "local" }, new HashSet<string> { "dev" }));
    }

    [Fact]
    public void StoresTakingSecretsFromEachOther_AreReportedAsACycle()
    {
        var json = """
            { "stores": [
              { "name": "a", "type": "mystery", "settings": { "token": "b:x" } },
              { "name": "b", "type": "mystery", "settings": { "client_secret": "c:y" } },
              { "name": "c", "type": "mystery", "settings": { "password": "a:z" } },
              { "name": "d", "type": "mystery", "settings": { "token": "a:w" } }
            ] }
            """;

        var errors = _validator.Validate(ConfigJson.Document(json));

        Assert.Equal(["stores[0].settings", "stores[1].settings", "stores[2].settings"], errors.Select(e => e.Path));
        Assert.Contains("a → b → c → a", errors[0].Message, StringComparison.Ordinal);
    }
}

namespace AgentVault.Broker.Storage;

/// <summary>The ordered schema migrations of the SQLite database; each runs once, in its own transaction.</summary>
internal static class SqliteMigrations
{
    /// <summary>Migration <c>i</c> brings the schema to version <c>i + 1</c>. Append only; never edit a released entry.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        """
        CREATE TABLE change_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
        INSERT INTO change_version (id, version) VALUES (1, 0);
        CREATE TABLE stores (
            name TEXT NOT NULL PRIMARY KEY,
            position INTEGER NOT NULL,
            type TEXT NOT NULL,
            settings TEXT,
            cache TEXT);
        CREATE TABLE vaults (
            name TEXT NOT NULL PRIMARY KEY,
            position INTEGER NOT NULL,
            unmatched TEXT);
        CREATE TABLE credentials (
            vault TEXT NOT NULL REFERENCES vaults (name) ON DELETE CASCADE,
            key TEXT NOT NULL,
            position INTEGER NOT NULL,
            ref TEXT NOT NULL,
            ttl TEXT,
            PRIMARY KEY (vault, key));
        CREATE TABLE services (
            vault TEXT NOT NULL REFERENCES vaults (name) ON DELETE CASCADE,
            name TEXT NOT NULL,
            position INTEGER NOT NULL,
            spec TEXT NOT NULL,
            PRIMARY KEY (vault, name));
        CREATE TABLE agents (
            name TEXT NOT NULL PRIMARY KEY,
            position INTEGER NOT NULL,
            spec TEXT NOT NULL,
            created_at TEXT NOT NULL);
        CREATE TABLE tokens (
            id TEXT NOT NULL PRIMARY KEY,
            hash TEXT NOT NULL UNIQUE,
            agent TEXT NOT NULL,
            kind TEXT NOT NULL,
            vault TEXT,
            label TEXT,
            created_at TEXT NOT NULL,
            expires_at TEXT,
            revoked_at TEXT);
        CREATE INDEX tokens_agent ON tokens (agent);
        CREATE TABLE blobs (
            name TEXT NOT NULL PRIMARY KEY,
            value BLOB NOT NULL);
        CREATE TABLE request_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            time TEXT NOT NULL,
            agent TEXT,
            vault TEXT,
            service TEXT,
            method TEXT NOT NULL,
            host TEXT NOT NULL,
            port INTEGER NOT NULL,
            path TEXT NOT NULL,
            status INTEGER NOT NULL,
            duration_ms INTEGER NOT NULL,
            bytes_in INTEGER NOT NULL,
            bytes_out INTEGER NOT NULL,
            credentials TEXT NOT NULL,
            error TEXT,
            redactions INTEGER NOT NULL);
        CREATE INDEX request_log_vault ON request_log (vault, id);
        """,

        // The configuration version: bumped by configuration saves only (token writes bump just `version`), compared on save.
        """
        ALTER TABLE change_version ADD COLUMN config_version INTEGER NOT NULL DEFAULT 0;
        """,

        // Vault identity, and scoped tokens bound to it and to the agent token that minted them.
        """
        ALTER TABLE vaults ADD COLUMN id TEXT;
        UPDATE vaults SET id = 'vlt_' || lower(hex(randomblob(12)));
        CREATE UNIQUE INDEX vaults_id ON vaults (id);
        ALTER TABLE tokens ADD COLUMN vault_id TEXT;
        ALTER TABLE tokens ADD COLUMN minted_by TEXT;
        UPDATE tokens SET vault_id = (SELECT v.id FROM vaults v WHERE v.name = tokens.vault) WHERE kind = 'scoped';
        CREATE INDEX tokens_minted_by ON tokens (minted_by);
        """,

        // Agents' proposals (SPEC §12): they change nothing until approved, so they live beside the configuration, not in it.
        """
        CREATE TABLE proposals (
            id TEXT NOT NULL PRIMARY KEY,
            vault TEXT NOT NULL,
            agent TEXT NOT NULL,
            status TEXT NOT NULL,
            message TEXT NOT NULL,
            changes TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            decided_at TEXT,
            decided_by TEXT,
            reason TEXT);
        CREATE INDEX proposals_vault ON proposals (vault, status);
        """,

        // Notification webhooks (SPEC §12): one row per entry, its definition as JSON (the secret only as a reference).
        """
        CREATE TABLE notifications (
            name TEXT NOT NULL PRIMARY KEY,
            position INTEGER NOT NULL,
            spec TEXT NOT NULL);
        """,

        // Per-request approval: how a held request ended and who decided (docs/approvals.md).
        """
        ALTER TABLE request_log ADD COLUMN approval TEXT;
        ALTER TABLE request_log ADD COLUMN decided_by TEXT;
        """,

        // People (SPEC §14): who may do what (`access:` of the configuration, one row per entry as JSON), their sign-in
        // sessions (the token only as its SHA-256 hash), and the audit trail of every change and decision.
        """
        CREATE TABLE access_rules (
            position INTEGER NOT NULL PRIMARY KEY,
            spec TEXT NOT NULL);
        CREATE TABLE sessions (
            token_hash TEXT NOT NULL PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            actor TEXT NOT NULL,
            email TEXT,
            groups_json TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            ended_at TEXT);
        CREATE INDEX sessions_actor ON sessions (actor);
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            time TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            vault TEXT,
            summary TEXT NOT NULL);
        CREATE INDEX audit_vault ON audit (vault, id);
        """,

        // Traces (docs/operations-telemetry.md): the trace of a request's span, when traces are exported, links the record to it.
        """
        ALTER TABLE request_log ADD COLUMN trace_id TEXT;
        """,
    ];
}

'use strict';
// Drives the fake Vault with the real node-vault client, making the calls the hashicorp-vault plugin makes.
// Prints one JSON object with what the client saw; the C# test compares it with the plugin's view.
const vault = require('node-vault')({
  apiVersion: 'v1',
  endpoint: process.env.VAULT_ADDR,
  namespace: process.env.VAULT_NAMESPACE,
});

async function status(promise) {
  try {
    await promise;
    return 200;
  } catch (e) {
    if (e.response && e.response.statusCode) return e.response.statusCode;
    throw e;
  }
}

async function main() {
  const login = await vault.approleLogin({ role_id: process.env.ROLE_ID, secret_id: process.env.SECRET_ID });
  const self = await vault.tokenLookupSelf();
  const renewedToken = await vault.tokenRenewSelf({ increment: 600 });
  const kv2 = await vault.read('secret/data/app');
  const kv2v1 = await vault.read('secret/data/app?version=1');
  const kv1 = await vault.read('kv1/app');
  const creds = await vault.read('database/creds/ro');
  const renewed = await vault.renew({ lease_id: creds.lease_id, increment: 120 });
  await vault.revoke({ lease_id: creds.lease_id });
  const renewAfterRevoke = await status(vault.renew({ lease_id: creds.lease_id, increment: 120 }));
  const missing = await status(vault.read('secret/data/missing'));
  const badLogin = await status(vault.approleLogin({ role_id: process.env.ROLE_ID, secret_id: 'wrong' }));
  vault.token = 'hvs.bogus';
  const denied = await status(vault.read('secret/data/app'));

  console.log(JSON.stringify({
    login: { has_token: typeof login.auth.client_token === 'string', lease_duration: login.auth.lease_duration, renewable: login.auth.renewable },
    lookup_self: { renewable: self.data.renewable, ttl_positive: self.data.ttl > 0 },
    renew_self: { lease_duration: renewedToken.auth.lease_duration },
    kv2: { data: kv2.data.data, version: kv2.data.metadata.version },
    kv2v1: { data: kv2v1.data.data, version: kv2v1.data.metadata.version },
    kv1: { data: kv1.data, lease_id: kv1.lease_id },
    creds: { fields: Object.keys(creds.data).sort(), lease_prefix: creds.lease_id.split('/').slice(0, 3).join('/'), lease_duration: creds.lease_duration, renewable: creds.renewable },
    renewed: { same_lease: renewed.lease_id === creds.lease_id, lease_duration: renewed.lease_duration },
    statuses: { renew_after_revoke: renewAfterRevoke, missing, bad_login: badLogin, denied },
  }));
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});

'use strict';
// Drives the fake Infisical with the real @infisical/sdk, making the calls the infisical plugin makes.
// Prints one JSON object with what the SDK saw; the C# test compares it with the plugin's view.
const { InfisicalSDK } = require('@infisical/sdk');

async function status(promise) {
  try {
    await promise;
    return 200;
  } catch (e) {
    const m = /\[StatusCode=(\d+)\]/.exec(String(e && e.message));
    if (m) return Number(m[1]);
    throw e;
  }
}

async function main() {
  const env = process.env;
  const client = new InfisicalSDK({ siteUrl: env.INFISICAL_URL });
  await client.auth().universalAuth.login({ clientId: env.CLIENT_ID, clientSecret: env.CLIENT_SECRET });
  const firstToken = client.auth().getAccessToken();
  await client.auth().universalAuth.renew();
  const renewedToken = client.auth().getAccessToken();

  const common = { environment: 'prod', projectId: env.PROJECT_ID };
  const latest = await client.secrets().getSecret({ ...common, secretPath: '/payments', secretName: 'STRIPE_KEY' });
  const first = await client.secrets().getSecret({ ...common, secretPath: '/payments', secretName: 'STRIPE_KEY', version: 1 });
  const missing = await status(client.secrets().getSecret({ ...common, secretPath: '/payments', secretName: 'MISSING' }));

  const where = { environmentSlug: 'prod', projectSlug: env.PROJECT_SLUG, path: '/db' };
  const created = await client.dynamicSecrets().leases.create({ ...where, dynamicSecretName: 'pg-ro', ttl: '1h' });
  const renewed = await client.dynamicSecrets().leases.renew(created.lease.id, { ...where, ttl: '30m' });
  const deleted = await client.dynamicSecrets().leases.delete(created.lease.id, where);
  const renewAfterDelete = await status(client.dynamicSecrets().leases.renew(created.lease.id, { ...where, ttl: '30m' }));

  const badLogin = await status(new InfisicalSDK({ siteUrl: env.INFISICAL_URL }).auth().universalAuth.login({ clientId: env.CLIENT_ID, clientSecret: 'wrong' }));

  console.log(JSON.stringify({
    token_kept_on_renew: firstToken === renewedToken,
    latest: { value: latest.secretValue, version: latest.version, key: latest.secretKey },
    first: { value: first.secretValue, version: first.version },
    lease: {
      fields: Object.keys(created.data).sort(),
      ttl_seconds: Math.round((Date.parse(created.lease.expireAt) - Date.now()) / 1000),
      renewed_extra_seconds: Math.round((Date.parse(renewed.lease.expireAt) - Date.parse(created.lease.expireAt)) / 1000),
      deleted_id_matches: deleted.lease.id === created.lease.id,
    },
    statuses: { missing, renew_after_delete: renewAfterDelete, bad_login: badLogin },
  }));
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});

// Drives the rungate emulator's Cloud Logging v2 API with Google's official Node.js client
// (@google-cloud/logging's generated v2 LoggingServiceV2Client on google-gax / grpc-js), over an
// insecure local channel without credentials. Prints one JSON line per check.
// Usage: node conformance.js HOST PORT PROJECT QUOTA_PROJECT
'use strict';
const {v2} = require('@google-cloud/logging');
const {grpc} = require('google-gax');

const [host, port, project, quotaProject] = process.argv.slice(2);
const client = new v2.LoggingServiceV2Client({
  servicePath: host, port: Number(port), sslCreds: grpc.credentials.createInsecure(),
  // given, so google-auth-library does not look for a metadata server (off loopback) to learn it
  universeDomain: 'googleapis.com',
});
const text = e => e.textPayload || (e.jsonPayload && e.jsonPayload.fields.message.stringValue) || '';
const print = o => console.log(JSON.stringify(o));

async function main() {
  // comparisons, OR inside parentheses, implicit AND, regex, NOT; every page followed by the client
  const [entries] = await client.listLogEntries({
    resourceNames: [`projects/${project}`], orderBy: 'timestamp asc',
    filter: '(resource.labels.revision_name="api-00001-abc" OR resource.labels.revision_name="web-00001-xyz") ' +
        'textPayload=~"exit\\\\([0-9]\\\\)" NOT severity<WARNING',
  });
  print({check: 'query', texts: entries.map(text)});

  // a selective query's first page can be empty and still carry a token
  const [first, , raw] = await client.listLogEntries({
    resourceNames: [`projects/${project}`], filter: 'jsonPayload.message:"AND more"', pageSize: 10,
  }, {autoPaginate: false});
  print({check: 'emptyPage', entries: first.length, token: Boolean(raw && raw.nextPageToken)});
  const [json] = await client.listLogEntries({
    resourceNames: [`projects/${project}`], filter: 'jsonPayload.message:"AND more"',
  });
  print({check: 'json', texts: json.map(text), severity: json.map(e => e.severity)});

  try {
    await client.listLogEntries({resourceNames: [`projects/${project}`], filter: 'severity=(ERROR OR WARNING)'});
    print({check: 'invalid', code: 0});
  } catch (e) {
    print({check: 'invalid', code: e.code, message: e.details});
  }

  // TailLogEntries: a bidi stream; the first request carries the query
  const tailed = await new Promise((resolve, reject) => {
    const got = [];
    const stream = client.tailLogEntries();
    stream.on('data', r => {
      r.entries.forEach(e => got.push(e));
      if (got.length >= 3) {
        stream.cancel();
        resolve(got);
      }
    });
    stream.on('error', e => (e.code === 1 ? resolve(got) : reject(e)));
    stream.write({resourceNames: [`projects/${project}`], filter: 'resource.labels.revision_name="tail-00001-t"',
      bufferWindow: {seconds: 1}});
  });
  const stamps = tailed.map(e => Number(e.timestamp.seconds) * 1e9 + e.timestamp.nanos);
  print({check: 'tail', count: tailed.length, texts: tailed.map(text),
    ordered: stamps.every((s, i) => i === 0 || stamps[i - 1] <= s)});

  let ok = 0;
  try {
    for (let i = 0; i < 100; i++) {
      await client.listLogEntries({resourceNames: [`projects/${quotaProject}`], pageSize: 1}, {autoPaginate: false});
      ok++;
    }
    print({check: 'quota', ok, code: 0});
  } catch (e) {
    print({check: 'quota', ok, code: e.code});
  }
  await client.close();
}

main().catch(e => {
  console.error(`conformance failed: ${e.message}`);
  process.exit(1);
});

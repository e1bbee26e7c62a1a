// Drives the rungate emulator's Cloud Run Admin API v2 with Google's official Node.js client
// (@google-cloud/run's generated v2 ServicesClient and RevisionsClient on google-gax / grpc-js, with the
// client's own long-running-operation handling), over an insecure local channel without credentials.
// Prints one JSON line per check. Usage: node conformance-run.js HOST PORT PARENT PYTHON APP
'use strict';
const {v2} = require('@google-cloud/run');
const {grpc} = require('google-gax');

const [host, port, parent, python, app] = process.argv.slice(2);
// universeDomain given: google-auth-library does not look for a metadata server (off loopback) to learn it
const options = {servicePath: host, port: Number(port), sslCreds: grpc.credentials.createInsecure(),
  universeDomain: 'googleapis.com'};
const services = new v2.ServicesClient(options);
const revisions = new v2.RevisionsClient(options);
const print = o => console.log(JSON.stringify(o));
const short = name => (name || '').split('/').pop();
// responses of plain calls carry enums as names and int64 as strings; decoded LRO results as numbers and Longs
const num = v => Number(v && typeof v === 'object' && 'low' in v ? v.toString() : v || 0);
const state = s => (typeof s === 'number' ? ['CONDITION_STATE_UNSPECIFIED', 'CONDITION_PENDING',
  'CONDITION_RECONCILING', 'CONDITION_FAILED', 'CONDITION_SUCCEEDED'][s] : s);
const traffic = svc => svc.trafficStatuses.map(t => `${t.revision}=${t.percent}${t.tag ? ':' + t.tag : ''}`);
const status = svc => ({reconciling: Boolean(svc.reconciling), generation: num(svc.generation),
  observedGeneration: num(svc.observedGeneration), terminal: state(svc.terminalCondition.state),
  traffic: traffic(svc)});
const pinned = (revision, percent, tag) => ({type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision, percent, tag});
const failure = e => ({code: e.code, message: e.details || e.message});

function template(revision) {
  return {revision, containers: [{name: 'app', image: 'europe-docker.pkg.dev/demo/app:1', command: [python, app],
    startupProbe: {tcpSocket: {}, periodSeconds: 1, failureThreshold: 8}}]};
}

async function expectFailure(call) {
  try {
    await call();
    return {code: 0};
  } catch (e) {
    return failure(e);
  }
}

async function main() {
  const name = `${parent}/services/node-svc`;
  // allow_missing: an UpdateService of a service that does not exist creates it
  const [created] = await services.updateService({service: {name, template: template('node-svc-a')},
    allowMissing: true});
  const [first] = await created.promise();
  print({check: 'allowMissing', latestReady: short(first.latestReadyRevision), ...status(first)});

  const [deploy] = await services.updateService({service: {name, template: template('node-svc-b'),
    traffic: [pinned('node-svc-a', 100, ''), pinned('node-svc-b', 0, 'next')]}});
  await deploy.promise();

  const [svc] = await services.getService({name});
  print({check: 'get', latestReady: short(svc.latestReadyRevision), latestCreated: short(svc.latestCreatedRevision),
    uri: svc.uri.startsWith('http'), tagUri: svc.trafficStatuses.some(t => t.tag === 'next' && t.uri.startsWith('http') && t.uri !== svc.uri),
    ...status(svc)});

  const [listed] = await services.listServices({parent});
  print({check: 'list', names: listed.map(s => short(s.name))});
  print({check: 'listWildcard',
    ...await expectFailure(() => services.listServices({parent: parent.replace(/[^/]+$/, '-')}))});

  const [revs] = await revisions.listRevisions({parent: name});
  print({check: 'revisions', revisions: revs.map(r => ({name: short(r.name), timeout: num(r.timeout.seconds),
    concurrency: r.maxInstanceRequestConcurrency, cpu: r.containers[0].resources.limits.cpu,
    memory: r.containers[0].resources.limits.memory, port: r.containers[0].ports[0].containerPort,
    ready: state(r.conditions.find(c => c.type === 'Ready').state)}))});
  const [rev] = await revisions.getRevision({name: `${name}/revisions/node-svc-a`});
  print({check: 'getRevision', name: short(rev.name), service: short(rev.service), reconciling: rev.reconciling});

  // a traffic-only update with the etag read: a long-running operation the client follows to done
  const [move] = await services.updateService({service: {name, etag: svc.etag,
    traffic: [pinned('node-svc-a', 50, ''), pinned('node-svc-b', 50, 'next')]}, updateMask: {paths: ['traffic']}});
  const [during] = await services.getService({name});
  print({check: 'moveAccepted', done: Boolean(move.done), metadata: short(move.metadata && move.metadata.name),
    ...status(during)});
  const [moved] = await move.promise();
  print({check: 'moveDone', done: Boolean(move.done), template: short(moved.template.revision), ...status(moved)});
  print({check: 'staleEtag', ...await expectFailure(() => services.updateService({service: {name, etag: svc.etag,
    traffic: [pinned('node-svc-a', 100, '')]}, updateMask: {paths: ['traffic']}}))});

  // a revision that does not exist: the call is accepted, the operation fails
  const [bad] = await services.updateService({service: {name, traffic: [pinned('node-svc-gone', 100, '')]},
    updateMask: {paths: ['traffic']}});
  const badResult = await bad.promise().then(() => ({code: 0}), failure);
  const [after] = await services.getService({name});
  print({check: 'missingRevision', accepted: true, ...badResult, ...status(after),
    terminalMessage: after.terminalCondition.message});

  // the operations the updates left behind
  const ops = [];
  for await (const op of services.listOperationsAsync({name: parent})) {
    ops.push(op);
  }
  const [got] = await services.getOperation({name: bad.name});
  await services.deleteOperation({name: bad.name});
  print({check: 'operations', listed: ops.length, includesMove: ops.some(o => o.name === move.name),
    allDone: ops.every(o => o.done), got: got.name === bad.name && got.done,
    afterDelete: (await expectFailure(() => services.getOperation({name: bad.name}))).code});
  await services.close();
  await revisions.close();
}

main().catch(e => {
  console.error(`conformance failed: ${e.code} ${e.message}\n${e.stack}`);
  process.exit(1);
});

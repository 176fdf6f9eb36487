'use strict';
/*
 * Crash safety: a few concurrent official clients (pop-core) stream writes
 * — CreateSecurityGroup (with ClientToken), AuthorizeSecurityGroup with
 * five Permissions, RunInstances of two instances, RevokeSecurityGroup of
 * a whole earlier request — while the server is killed with SIGKILL in the
 * middle of the stream. After a restart on the same data directory:
 *   - every acknowledged write is there (groups, all five rules of each
 *     acknowledged authorize, both instances of each acknowledged run with
 *     their primary ENIs and memberships), every acknowledged revoke too;
 *   - nothing is half-applied: the rules of any authorize or revoke
 *     request are all present or all absent, the instances of a run both
 *     or neither, and whatever exists beyond the acknowledged writes comes
 *     from a request that was in flight at the kill;
 *   - a create retried with its ClientToken answers the group it made;
 *   - the server takes new writes.
 * Run with --sync full (the default) and --sync normal. And the limits
 * (rules per group, groups per ENI, groups per region) under concurrent
 * writers: serialised, never overshot.
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const REGION = 'cn-hangzhou';
const WORKERS = 4;
const KILL_AFTER = 80;		/* acknowledged writes before the kill */
const PERMS = 5;		/* permissions per authorize request */

/* One worker: writes until the server stops answering. */
async function worker(w, port, net, log, state) {
	const p = h.pop(port);
	const mine = [];	/* acknowledged groups of this worker */
	const authed = [];	/* acknowledged authorize seqs not revoked */
	for (let k = 0; !state.dead; k++) {
		const seq = state.seq++;
		let op;
		if (mine.length === 0 || k % 5 === 0) {
			const name = `crash-w${w}-${seq}`;
			op = { kind: 'group', seq, name, token: `crash-${seq}-${
			    state.nonce}`, params: { RegionId: REGION,
			    VpcId: net.vpcId, SecurityGroupName: name } };
			op.params.ClientToken = op.token;
		} else if (k % 5 === 3 && authed.length > 0) {
			const a = authed.shift();
			op = { kind: 'revoke', seq, of: a.seq, sg: a.sg,
			    params: { RegionId: REGION, SecurityGroupId: a.sg,
			    Permissions: perms(a.seq) } };
		} else if (k % 5 === 4) {
			const sg = mine[k % mine.length];
			op = { kind: 'run', seq, sg, params: { RegionId: REGION,
			    InstanceType: 'ecs.g6.large', VSwitchId: net.vswId,
			    SecurityGroupId: sg, Amount: 2,
			    InstanceName: `crash-${seq}-[0,1]` } };
		} else {
			const sg = mine[k % mine.length];
			op = { kind: 'auth', seq, sg, params: { RegionId: REGION,
			    SecurityGroupId: sg, Permissions: perms(seq) } };
		}
		const action = { group: 'CreateSecurityGroup',
		    auth: 'AuthorizeSecurityGroup', revoke: 'RevokeSecurityGroup',
		    run: 'RunInstances' }[op.kind];
		log.sent.push(op);
		let body;
		try {
			body = await p.post(action, op.params);
		} catch (e) {
			if (e.code && e.data) {
				op.refused = e.code;	/* an answered refusal */
				log.refused.push(op);
				continue;
			}
			state.dead = true;		/* no answer: in flight */
			break;
		}
		op.ack = body;
		log.acked.push(op);
		if (op.kind === 'group')
			mine.push(body.SecurityGroupId);
		else if (op.kind === 'auth')
			authed.push(op);
		if (log.acked.length >= KILL_AFTER && !state.killed) {
			state.killed = true;
			state.kill();
		}
	}
}

/* The five permissions of request seq: unique ports, Description req-N. */
function perms(seq) {
	return Array.from({ length: PERMS }, (_, i) => ({ IpProtocol: 'tcp',
	    PortRange: `${seq * 10 + i + 1}/${seq * 10 + i + 1}`,
	    SourceCidrIp: '10.0.0.0/8', Description: `req-${seq}` }));
}

async function allGroups(p) {
	const out = [];
	let tok;
	do {
		const b = await p.get('DescribeSecurityGroups', { RegionId: REGION,
		    MaxResults: 100, IsQueryEcsCount: true,
		    ...(tok ? { NextToken: tok } : {}) });
		out.push(...b.SecurityGroups.SecurityGroup);
		tok = b.NextToken;
	} while (tok);
	return out;
}

async function rulesOf(p, sg) {
	const b = await p.get('DescribeSecurityGroupAttribute', {
	    RegionId: REGION, SecurityGroupId: sg, MaxResults: 1000 });
	return b.Permissions.Permission;
}

async function allInstances(p) {
	const out = [];
	for (let n = 1; ; n++) {
		const b = await p.get('DescribeInstances', { RegionId: REGION,
		    PageSize: 100, PageNumber: n });
		out.push(...b.Instances.Instance);
		if (out.length >= b.TotalCount)
			return out;
	}
}

async function allEnis(p) {
	const out = [];
	for (let n = 1; ; n++) {
		const b = await p.get('DescribeNetworkInterfaces', {
		    RegionId: REGION, PageSize: 100, PageNumber: n });
		out.push(...b.NetworkInterfaceSets.NetworkInterfaceSet);
		if (out.length >= b.TotalCount)
			return out;
	}
}

async function crashRun(sync) {
	let s = await h.startServer(['--sync', sync, '--threads', '4']);
	try {
		const net = await h.makeVpc(s.port, { region: REGION,
		    cidr: '10.50.0.0/16', vswCidr: '10.50.0.0/20' });
		const log = { sent: [], acked: [], refused: [] };
		const cur = s;
		const state = { seq: 1, dead: false, killed: false,
		    nonce: h.nonce(), kill: () => cur.proc.kill('SIGKILL') };
		await Promise.all(Array.from({ length: WORKERS }, (_, w) =>
		    worker(w, s.port, net, log, state)));
		await s.exitPromise;
		assert.equal(s.exited.sig, 'SIGKILL', 'the server was killed');
		assert.ok(log.acked.length >= KILL_AFTER,
		    `acknowledged ${log.acked.length} writes before the kill`);
		assert.deepEqual(log.refused.map((o) => `${o.kind}: ${o.refused}`),
		    [], 'no write was refused');
		s = await h.restartServer(s);
		await verify(s, log);
	} finally {
		await h.stopServer(s);
	}
}

async function verify(s, log) {
	const p = h.pop(s.port);
	const acked = (kind) => log.acked.filter((o) => o.kind === kind);
	const inflight = log.sent.filter((o) => !o.ack && !o.refused);
	assert.ok(inflight.length <= WORKERS);
	const groups = await allGroups(p);
	const byId = new Map(groups.map((g) => [g.SecurityGroupId, g]));

	/* groups: every acknowledged one, the others from in-flight creates */
	for (const o of acked('group')) {
		const g = byId.get(o.ack.SecurityGroupId);
		assert.ok(g, `acknowledged group ${o.name} survived`);
		assert.equal(g.SecurityGroupName, o.name);
	}
	const ackedIds = new Set(acked('group').map((o) =>
	    o.ack.SecurityGroupId));
	const extra = groups.filter((g) => !ackedIds.has(g.SecurityGroupId) &&
	    g.SecurityGroupName.startsWith('crash-'));
	const flyingNames = new Set(inflight.filter((o) => o.kind === 'group')
	    .map((o) => o.name));
	for (const g of extra)
		assert.ok(flyingNames.has(g.SecurityGroupName),
		    `group ${g.SecurityGroupName} comes from an in-flight create`);
	/* a retried in-flight create answers the group it made, if any */
	for (const o of inflight.filter((x) => x.kind === 'group')) {
		const made = extra.find((g) => g.SecurityGroupName === o.name);
		const b = await p.post('CreateSecurityGroup', o.params);
		if (made)
			assert.equal(b.SecurityGroupId, made.SecurityGroupId,
			    'ClientToken answers the committed group');
		else
			assert.ok(!byId.has(b.SecurityGroupId));
	}
	for (const o of acked('group')) {
		const b = await p.post('CreateSecurityGroup', o.params);
		assert.equal(b.SecurityGroupId, o.ack.SecurityGroupId,
		    'ClientToken of an acknowledged create survived');
	}

	/* rules: per request all or nothing */
	const present = new Map();	/* seq -> count */
	for (const g of groups) {
		for (const r of await rulesOf(p, g.SecurityGroupId)) {
			const m = /^req-(\d+)$/.exec(r.Description);
			assert.ok(m, `rule ${r.SecurityGroupRuleId} is one of ours`);
			const seq = Number(m[1]);
			const port = Number(r.PortRange.split('/')[0]);
			assert.ok(port > seq * 10 && port <= seq * 10 + PERMS,
			    'rule ports belong to its request');
			present.set(seq, (present.get(seq) || 0) + 1);
		}
	}
	for (const [seq, n] of present)
		assert.ok(n === PERMS, `request ${seq}: ${n} of ${PERMS} rules ` +
		    '(half-applied)');
	const revoked = new Set(acked('revoke').map((o) => o.of));
	const revoking = new Set(inflight.filter((o) => o.kind === 'revoke')
	    .map((o) => o.of));
	for (const o of acked('auth')) {
		if (revoked.has(o.seq))
			assert.ok(!present.has(o.seq),
			    `acknowledged revoke of request ${o.seq} survived`);
		else if (!revoking.has(o.seq))
			assert.equal(present.get(o.seq), PERMS,
			    `acknowledged authorize ${o.seq} survived`);
	}
	const flyingAuth = new Set(inflight.filter((o) => o.kind === 'auth')
	    .map((o) => o.seq));
	for (const seq of present.keys())
		assert.ok(acked('auth').some((o) => o.seq === seq) ||
		    flyingAuth.has(seq), `rules of request ${seq} were asked for`);

	/* instances: both or neither, with their ENIs and memberships */
	const insts = await allInstances(p);
	const enis = await allEnis(p);
	const bySeq = new Map();
	for (const i of insts) {
		const m = /^crash-(\d+)-[01]$/.exec(i.InstanceName);
		assert.ok(m, `instance ${i.InstanceName} is one of ours`);
		bySeq.set(Number(m[1]), [...(bySeq.get(Number(m[1])) || []), i]);
	}
	for (const [seq, list] of bySeq)
		assert.equal(list.length, 2, `run ${seq}: ${list.length} of 2`);
	for (const o of acked('run')) {
		const list = bySeq.get(o.seq) || [];
		assert.deepEqual(list.map((i) => i.InstanceId).sort(),
		    [...o.ack.InstanceIdSets.InstanceIdSet].sort(),
		    `acknowledged run ${o.seq} survived`);
	}
	const flyingRun = new Set(inflight.filter((o) => o.kind === 'run')
	    .map((o) => o.seq));
	for (const seq of bySeq.keys())
		assert.ok(acked('run').some((o) => o.seq === seq) ||
		    flyingRun.has(seq), `run ${seq} was asked for`);
	const members = new Map();
	for (const i of insts) {
		const nic = i.NetworkInterfaces.NetworkInterface;
		assert.equal(nic.length, 1);
		const e = enis.find((x) => x.NetworkInterfaceId ===
		    nic[0].NetworkInterfaceId);
		assert.ok(e, `primary ENI of ${i.InstanceId} exists`);
		assert.equal(e.InstanceId, i.InstanceId);
		assert.deepEqual(e.SecurityGroupIds.SecurityGroupId,
		    i.SecurityGroupIds.SecurityGroupId);
		for (const g of e.SecurityGroupIds.SecurityGroupId)
			members.set(g, (members.get(g) || 0) + 1);
	}
	assert.equal(enis.length, insts.length, 'no ENI without its instance');
	for (const g of groups)
		assert.equal(g.EcsCount, members.get(g.SecurityGroupId) || 0,
		    `members of ${g.SecurityGroupId}`);

	/* and the server goes on */
	const { SecurityGroupId: id } = await p.post('CreateSecurityGroup', {
	    RegionId: REGION, SecurityGroupName: 'after-restart' });
	await p.post('AuthorizeSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: id, Permissions: perms(6000) });
	assert.equal((await rulesOf(p, id)).length, PERMS);
}

for (const sync of ['full', 'normal']) {
	test(`kill -9 during a stream of writes (--sync ${sync})`, async () => {
		await crashRun(sync);
	});
}

test('limits hold under concurrent writers (fresh server, --threads 8)',
    async () => {
	const s = await h.startServer(['--threads', '8', '--sg-quota', '6']);
	try {
		const p = h.pop(s.port);
		const outcome = (rs) => rs.map((r) => r.status === 'fulfilled' ?
		    'ok' : r.reason.code);
		const net = await h.makeVpc(s.port, { region: REGION,
		    cidr: '10.60.0.0/16', vswCidr: '10.60.1.0/24' });
		const mk = async () => (await p.post('CreateSecurityGroup', {
		    RegionId: REGION, VpcId: net.vpcId })).SecurityGroupId;
		/* one place left in a group: one of twelve authorizes gets it */
		const a = await mk();
		await p.post('AuthorizeSecurityGroup', { RegionId: REGION,
		    SecurityGroupId: a, Permissions: Array.from({ length: 99 },
			(_, i) => ({ IpProtocol: 'tcp', PortRange: `${i + 1}/${i + 1}`,
			    SourceCidrIp: '1.1.1.1' })) });
		let rs = outcome(await Promise.allSettled(Array.from({ length: 12 },
		    (_, i) => h.pop(s.port).post('AuthorizeSecurityGroup', {
			RegionId: REGION, SecurityGroupId: a, Permissions: [{
			    IpProtocol: 'udp', PortRange: `${i + 1}/${i + 1}`,
			    SourceCidrIp: '1.1.1.1' }] }))));
		assert.equal(rs.filter((x) => x === 'ok').length, 1, rs.join());
		assert.ok(rs.every((x) => x === 'ok' ||
		    x === 'AuthorizationLimitExceed'), rs.join());
		assert.equal((await rulesOf(p, a)).length, 100);
		/* the same rule twelve times at once: stored once */
		const b = await mk();
		rs = outcome(await Promise.allSettled(Array.from({ length: 12 },
		    () => h.pop(s.port).post('AuthorizeSecurityGroup', {
			RegionId: REGION, SecurityGroupId: b, Permissions: [{
			    IpProtocol: 'udp', PortRange: '5/5',
			    SourceCidrIp: '1.1.1.1' }] }))));
		assert.deepEqual(rs, Array(12).fill('ok'));
		assert.equal((await rulesOf(p, b)).length, 1);
		/* one instance, six joins at once: four fit (5 groups per ENI) */
		const more = [await mk(), await mk(), await mk(), await mk()];
		const [i] = (await p.post('RunInstances', { RegionId: REGION,
		    InstanceType: 'ecs.g6.large', VSwitchId: net.vswId,
		    SecurityGroupId: b })).InstanceIdSets.InstanceIdSet;
		rs = outcome(await Promise.allSettled([a, ...more].map((g) =>
		    h.pop(s.port).post('JoinSecurityGroup', { InstanceId: i,
			SecurityGroupId: g }))));
		assert.equal(rs.filter((x) => x === 'ok').length, 4, rs.join());
		assert.ok(rs.every((x) => x === 'ok' ||
		    x === 'InstanceSecurityGroupLimitExceeded'), rs.join());
		const d = await p.get('DescribeInstances', { RegionId: REGION,
		    InstanceIds: JSON.stringify([i]) });
		assert.equal(d.Instances.Instance[0].SecurityGroupIds
		    .SecurityGroupId.length, 5);
		/* the region's group quota: 6 made, ten more at once: none */
		rs = outcome(await Promise.allSettled(Array.from({ length: 10 },
		    () => h.pop(s.port).post('CreateSecurityGroup', {
			RegionId: REGION }))));
		assert.deepEqual(rs, Array(10).fill('QuotaExceed.SecurityGroup'));
		const all = await allGroups(p);
		assert.equal(all.length, 6);
	} finally {
		await h.stopServer(s);
	}
});

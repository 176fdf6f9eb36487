'use strict';
/*
 * The decision engine as actions of our own product (Version 2026-12-01,
 * docs/api.md) through the official pop-core client (which calls any
 * action of any version) and once through a Tea V3 client: ExplainPacket,
 * DescribeEffectiveRules, DescribeReachability, AnalyzeSecurityGroup,
 * what-if changes, errors with their exact Code and HTTP status.
 *
 * The groups, rules and instances are made through the ECS/VPC actions,
 * and every verdict checked follows from the seed's rules: its five
 * scenarios (seed-spec.md §1.8) and the FAQ cases (110 defaults, drop over
 * accept at equal priority, TCP 25). A second account (seeded into the
 * store like scenarios.test.js does) covers cross-account group peers and
 * NotFound for another account's resources.
 */
const { after, before, test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const ENG = '2026-12-01';
const REGION = 'cn-hangzhou';
const TYPE = 'ecs.g6.large';
const B = { account: '1777000011112222', akid: 'AKIDSDKENGINEACCOUNTB',
    secret: 'EngineSecondAccountSecret0123' };

const srv = { port: 0, srv: null };

before(async () => {
	const first = await h.startServer(['--vpc-quota', '50']);
	await h.killServer(first, 'SIGTERM');
	h.seedAccount(first, B);
	srv.srv = await h.restartServer(first);
	srv.port = srv.srv.port;
});

after(async () => {
	if (srv.srv)
		await h.stopServer(srv.srv);
});

const asB = { akid: B.akid, secret: B.secret };
const eng = (o = {}) => h.pop(srv.port, { ...o, version: ENG });
const ecs = (o = {}) => h.pop(srv.port, o);

/* A VPC 10.0.0.0/8 with a vSwitch 10.9.0.0/16. */
async function net(o = {}) {
	return h.makeVpc(srv.port, { region: REGION, cidr: '10.0.0.0/8',
	    vswCidr: '10.9.0.0/16' }, o);
}

async function group(vpcId, o = {}, extra = {}) {
	const p = { RegionId: REGION, ...extra };
	if (vpcId)
		p.VpcId = vpcId;
	return (await ecs(o).get('CreateSecurityGroup', p)).SecurityGroupId;
}

async function instance(p, o = {}) {
	const r = await ecs(o).get('RunInstances', { RegionId: REGION,
	    InstanceType: TYPE, ImageId: 'img1', ...p });
	return r.InstanceIdSets.InstanceIdSet[0];
}

async function describeInstance(id, o = {}) {
	const r = await ecs(o).get('DescribeInstances', { RegionId: REGION,
	    InstanceIds: JSON.stringify([id]) });
	return r.Instances.Instance[0];
}

/* Authorize[Egress] with Permissions.N from an array of rule objects. */
async function authorize(sg, rules, { egress = false, o = {} } = {}) {
	const p = { RegionId: REGION, SecurityGroupId: sg };
	rules.forEach((r, i) => {
		for (const [k, v] of Object.entries(r))
			p[`Permissions.${i + 1}.${k}`] = v;
	});
	await ecs(o).get(egress ? 'AuthorizeSecurityGroupEgress' :
	    'AuthorizeSecurityGroup', p);
}

async function explain(p, o = {}) {
	return eng(o).get('ExplainPacket', { RegionId: REGION, ...p });
}

/* A VPC with groups ga, gb and instances a (in ga) and b (in gb). */
async function pair(ipA, ipB) {
	const { vpcId, vswId } = await net();
	const ga = await group(vpcId);
	const gb = await group(vpcId);
	const a = await instance({ VSwitchId: vswId, SecurityGroupId: ga,
	    PrivateIpAddress: ipA });
	const b = await instance({ VSwitchId: vswId, SecurityGroupId: gb,
	    PrivateIpAddress: ipB });
	return { vpcId, vswId, ga, gb, a, b };
}

test('scenario 1: intranet between groups of one account (VPC)', async () => {
	const x = await pair('10.9.1.1', '10.9.1.2');
	const q = { SourceInstanceId: x.a, DestinationInstanceId: x.b,
	    Protocol: 'tcp', DestinationPort: 80 };
	let r = await explain(q);
	assert.equal(r.Accept, false);
	assert.equal(r.Verdict, 'Drop');
	assert.equal(r.Egress.Present, true);
	assert.equal(r.Egress.Verdict, 'Accept');
	assert.equal(r.Ingress.DecidingItem.Kind, 'Default');
	assert.equal(r.Ingress.DecidingItem.Priority, 110);
	assert.equal(r.Flow.SourceIp, '10.9.1.1');
	assert.equal(r.Flow.DestinationIp, '10.9.1.2');
	assert.equal(r.Flow.SourcePort, 40000);
	assert.equal(r.SameNetwork, true);
	assert.equal(r.IsInternet, false);
	assert.ok(Array.isArray(r.MatchedItems.Item));
	assert.equal(r.WhatIf, false);

	await authorize(x.gb, [{ IpProtocol: 'tcp', PortRange: '80/80',
	    SourceGroupId: x.ga, Priority: 1 }]);
	r = await explain(q);
	assert.equal(r.Accept, true);
	const d = r.Ingress.DecidingItem;
	assert.equal(d.Kind, 'Rule');
	assert.equal(d.Priority, 1);
	assert.equal(d.Policy, 'Accept');
	assert.equal(d.SecurityGroupId, x.gb);
	assert.match(d.SecurityGroupRuleId, /^sgr-/);
	assert.equal(d.Permission.SourceGroupId, x.ga);
	assert.match(d.Description, /priority 1, Accept/);
	assert.match(r.Reason, /^Accepted\./);
	/* POST form body: the same answer. */
	const p = await eng().post('ExplainPacket', { RegionId: REGION, ...q });
	assert.equal(p.Ingress.DecidingItem.SecurityGroupRuleId,
	    d.SecurityGroupRuleId);
});

test('scenario 1: another account\'s group named with its account id ' +
    '(classic)', async () => {
	const gB = await group(null, asB);
	const iB = await instance({ SecurityGroupId: gB }, asB);
	const ipB = (await describeInstance(iB, asB)).InnerIpAddress.IpAddress[0];
	const gA = await group(null);
	const iA = await instance({ SecurityGroupId: gA });
	await authorize(gA, [{ IpProtocol: 'tcp', PortRange: '22/22',
	    SourceGroupId: gB, SourceGroupOwnerAccount: B.account,
	    NicType: 'intranet' }]);
	/* B's instance is an outside host to A: named by its address. */
	let r = await explain({ SourceIp: ipB, DestinationInstanceId: iA,
	    Protocol: 'tcp', DestinationPort: 22 });
	assert.equal(r.Accept, true);
	assert.equal(r.Egress.Present, false);
	assert.equal(r.Ingress.DecidingItem.Permission.SourceGroupOwnerAccount,
	    B.account);
	r = await explain({ SourceIp: '192.168.200.200',
	    DestinationInstanceId: iA, Protocol: 'tcp', DestinationPort: 22 });
	assert.equal(r.Accept, false);
	/* ...and A cannot name it: NotFound, as everywhere. */
	await h.popFails(explain({ SourceInstanceId: iB,
	    DestinationInstanceId: iA, Protocol: 'tcp', DestinationPort: 22 }),
	    404, 'InvalidInstanceId.NotFound');
	await h.popFails(eng(asB).get('DescribeEffectiveRules', {
	    InstanceId: iA }), 404, 'InvalidInstanceId.NotFound');
});

test('scenario 2: SSH only from one IP', async () => {
	const x = await pair('10.9.2.1', '10.9.2.2');
	await authorize(x.gb, [{ IpProtocol: 'tcp', PortRange: '22/22',
	    SourceCidrIp: '203.0.113.7' }]);
	const q = { DestinationInstanceId: x.b, Protocol: 'TCP',
	    DestinationPort: 22 };
	let r = await explain({ ...q, SourceIp: '203.0.113.7' });
	assert.equal(r.Accept, true);
	assert.equal(r.IsInternet, true);
	r = await explain({ ...q, SourceIp: '203.0.113.8' });
	assert.equal(r.Accept, false);
	assert.equal(r.Ingress.DecidingItem.Kind, 'Default');
	const reach = await eng().get('DescribeReachability', {
	    DestinationInstanceId: x.b, Protocol: 'tcp', DestinationPort: 22 });
	assert.deepEqual(reach.Internet.Ranges.Range, ['203.0.113.7/32']);
	assert.equal(reach.TotalCount, 0);
});

test('scenario 3: outbound only to one IP; explain names rule and ' +
    'priority', async () => {
	const x = await pair('10.9.3.1', '10.9.3.2');
	await authorize(x.ga, [
		{ IpProtocol: 'all', DestCidrIp: '0.0.0.0/0', Policy: 'drop',
		    Priority: 2 },
		{ IpProtocol: 'all', DestCidrIp: '47.100.1.1', Policy: 'accept',
		    Priority: 1 }], { egress: true });
	let r = await explain({ SourceInstanceId: x.a,
	    DestinationIp: '47.100.1.1', Protocol: 'tcp', DestinationPort: 443 });
	assert.equal(r.Accept, true);
	assert.equal(r.Ingress.Present, false);
	assert.equal(r.Egress.DecidingItem.Priority, 1);
	assert.equal(r.Egress.DecidingItem.Permission.DestCidrIp, '47.100.1.1');
	const items = r.MatchedItems.Item;
	assert.deepEqual(items.map((i) => [i.Gate, i.Kind, i.Priority,
	    i.Policy, i.Decides]), [
		['Egress', 'Rule', 1, 'Accept', true],
		['Egress', 'Rule', 2, 'Drop', false],
		['Egress', 'Default', 110, 'Accept', false]]);
	r = await explain({ SourceInstanceId: x.a, DestinationIp: '47.100.1.2',
	    Protocol: 'udp', DestinationPort: 53 });
	assert.equal(r.Accept, false);
	assert.equal(r.Egress.DecidingItem.Priority, 2);
	assert.equal(r.Egress.DecidingItem.Policy, 'Drop');
	assert.match(r.Reason, /^Dropped at the egress of eni-.*priority 2, Drop/);
	/* Intranet peers are cut off too; only that IP is reachable. */
	r = await explain({ SourceInstanceId: x.a, DestinationInstanceId: x.b,
	    Protocol: 'icmp' });
	assert.equal(r.Accept, false);
	const reach = await eng().get('DescribeReachability', {
	    SourceInstanceId: x.a, Protocol: 'tcp', DestinationPort: 443 });
	assert.equal(reach.Direction, 'from');
	assert.equal(reach.Internet.Reachable, true);
	assert.equal(reach.Internet.AllAddresses, false);
	assert.deepEqual(reach.Internet.Ranges.Range, ['47.100.1.1/32']);
	assert.deepEqual(reach.Peers.Peer, []);
});

test('scenario 4: remote login from the internet and the intranet',
    async () => {
	const x = await pair('10.9.4.1', '10.9.4.2');
	await authorize(x.gb, [
		{ IpProtocol: 'tcp', PortRange: '3389/3389',
		    SourceCidrIp: '0.0.0.0/0' },
		{ IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '10.9.4.1' }]);
	let r = await explain({ SourceIp: '198.51.100.20',
	    DestinationInstanceId: x.b, Protocol: 'tcp', DestinationPort: 3389 });
	assert.equal(r.Accept, true);
	r = await explain({ SourceInstanceId: x.a, DestinationInstanceId: x.b,
	    Protocol: 'tcp', DestinationPort: 22 });
	assert.equal(r.Accept, true);
	assert.equal(r.Ingress.DecidingItem.Permission.SourceCidrIp, '10.9.4.1');
	r = await explain({ SourceIp: '198.51.100.20',
	    DestinationInstanceId: x.b, Protocol: 'tcp', DestinationPort: 22 });
	assert.equal(r.Accept, false);
	const reach = await eng().get('DescribeReachability', {
	    DestinationInstanceId: x.b, Protocol: 'tcp', DestinationPort: 22 });
	assert.deepEqual(reach.Peers.Peer.map((p) => p.InstanceId), [x.a]);
	assert.equal(reach.Peers.Peer[0].PrivateIpAddress, '10.9.4.1');
	assert.equal(reach.Internet.Reachable, false);
	/* A peer group of another account (VPC): its members' addresses. */
	const nb = await h.makeVpc(srv.port, { region: REGION,
	    cidr: '172.16.0.0/12', vswCidr: '172.16.4.0/24' }, asB);
	const gB = await group(nb.vpcId, asB);
	await instance({ VSwitchId: nb.vswId, SecurityGroupId: gB,
	    PrivateIpAddress: '172.16.4.7' }, asB);
	await authorize(x.gb, [{ IpProtocol: 'tcp', PortRange: '5432/5432',
	    SourceGroupId: gB, SourceGroupOwnerAccount: B.account }]);
	r = await explain({ SourceIp: '172.16.4.7', DestinationInstanceId: x.b,
	    Protocol: 'tcp', DestinationPort: 5432 });
	assert.equal(r.Accept, true);
	assert.equal(r.Ingress.DecidingItem.Permission.SourceGroupId, gB);
	r = await explain({ SourceIp: '172.16.4.8', DestinationInstanceId: x.b,
	    Protocol: 'tcp', DestinationPort: 5432 });
	assert.equal(r.Accept, false);
	/* The analysis: RDP open to everyone. */
	const an = await eng().get('AnalyzeSecurityGroup', {
	    SecurityGroupId: x.gb });
	const open = an.Warnings.Warning.filter((w) =>
	    w.Kind === 'OpenAdministrativePort');
	assert.deepEqual(open.map((w) => [w.Port, w.Severity]),
	    [[3389, 'High']]);
});

test('scenario 5: HTTP, HTTPS and a custom port from everywhere',
    async () => {
	const x = await pair('10.9.5.1', '10.9.5.2');
	await authorize(x.gb, ['80/80', '443/443', '8080/8080'].map((p) => ({
	    IpProtocol: 'tcp', PortRange: p, SourceCidrIp: '0.0.0.0/0' })));
	for (const port of [80, 443, 8080]) {
		const reach = await eng().get('DescribeReachability', {
		    DestinationInstanceId: x.b, Protocol: 'tcp',
		    DestinationPort: port });
		assert.equal(reach.Internet.AllAddresses, true, `port ${port}`);
		assert.deepEqual(reach.Internet.Ranges.Range, ['0.0.0.0/0']);
		assert.equal(reach.TotalCount, 1);
	}
	const reach = await eng().get('DescribeReachability', {
	    DestinationInstanceId: x.b, Protocol: 'tcp', DestinationPort: 8081 });
	assert.equal(reach.Internet.Reachable, false);
	assert.equal(reach.TotalCount, 0);
});

test('FAQ: system rules at 110 lose to any user rule', async () => {
	const { vswId } = await net();
	const i = await instance({ VSwitchId: vswId,
	    PrivateIpAddress: '10.9.6.1' });	/* the default group */
	let r = await explain({ SourceIp: '192.0.2.1', DestinationInstanceId: i,
	    Protocol: 'tcp', DestinationPort: 22 });
	assert.equal(r.Accept, true);
	assert.equal(r.Ingress.DecidingItem.Priority, 110);
	const sg = r.Ingress.DecidingItem.SecurityGroupId;
	await authorize(sg, [{ IpProtocol: 'tcp', PortRange: '22/22',
	    SourceCidrIp: '0.0.0.0/0', Policy: 'drop', Priority: 100 }]);
	r = await explain({ SourceIp: '192.0.2.1', DestinationInstanceId: i,
	    Protocol: 'tcp', DestinationPort: 22 });
	assert.equal(r.Accept, false);
	assert.equal(r.Ingress.DecidingItem.Priority, 100);
	assert.deepEqual(r.MatchedItems.Item.map((m) => m.Priority),
	    [100, 110, 110]);
	const eff = await eng().get('DescribeEffectiveRules', {
	    InstanceId: i, Direction: 'ingress' });
	const line = eff.Rules.Rule.find((l) => l.Priority === 110 &&
	    l.Permission && l.Permission.PortRange === '22/22');
	assert.equal(line.Shadowed, true);
	assert.equal(line.Redundant, false);
	assert.equal(line.ShadowedBy.Priority, 100);
});

test('FAQ: drop beats accept at equal priority', async () => {
	const x = await pair('10.9.7.1', '10.9.7.2');
	await authorize(x.gb, [
		{ IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '10.0.0.0/8',
		    Priority: 7 },
		{ IpProtocol: 'tcp', PortRange: '1/1024', SourceCidrIp: '10.9.7.1',
		    Priority: 7, Policy: 'drop' }]);
	const r = await explain({ SourceInstanceId: x.a,
	    DestinationInstanceId: x.b, Protocol: 'tcp', DestinationPort: 22 });
	assert.equal(r.Accept, false);
	assert.equal(r.Ingress.DecidingItem.Policy, 'Drop');
	assert.equal(r.Ingress.DecidingItem.Priority, 7);
	const ing = r.MatchedItems.Item.filter((m) => m.Gate === 'Ingress');
	assert.deepEqual(ing.map((m) => m.Policy), ['Drop', 'Accept', 'Drop']);
	/* A reply of an accepted connection passes (SPI). */
	const back = await explain({ SourceInstanceId: x.b,
	    DestinationInstanceId: x.a, Protocol: 'tcp', SourcePort: 22,
	    DestinationPort: 40000, ConnectionState: 'established' });
	assert.equal(back.Accept, true);
	assert.equal(back.Ingress.DecidingItem.Kind, 'Conntrack');
});

test('FAQ: TCP 25 outbound to the internet is blocked, whatever the rules',
    async () => {
	const x = await pair('10.9.8.1', '10.9.8.2');
	await authorize(x.ga, [{ IpProtocol: 'tcp', PortRange: '25/25',
	    DestCidrIp: '0.0.0.0/0', Priority: 1 }], { egress: true });
	let r = await explain({ SourceInstanceId: x.a,
	    DestinationIp: '203.0.113.25', Protocol: 'tcp', DestinationPort: 25 });
	assert.equal(r.Accept, false);
	assert.equal(r.Egress.DecidingItem.Kind, 'OperatorBlock');
	assert.equal(r.Egress.DecidingItem.Port, 25);
	assert.equal(r.MatchedItems.Item[1].Kind, 'Rule');
	r = await explain({ SourceInstanceId: x.a,
	    DestinationIp: '203.0.113.25', Protocol: 'tcp', DestinationPort: 465 });
	assert.equal(r.Accept, true);
	/* Within the VPC port 25 is not blocked (b has no rule for it). */
	r = await explain({ SourceInstanceId: x.a, DestinationInstanceId: x.b,
	    Protocol: 'tcp', DestinationPort: 25 });
	assert.equal(r.Egress.Verdict, 'Accept');
	const reach = await eng().get('DescribeReachability', {
	    SourceInstanceId: x.a, Protocol: 'tcp', DestinationPort: 25 });
	assert.equal(reach.Internet.Reachable, false);
});

test('DescribeEffectiveRules: merged order, shadowed and redundant lines',
    async () => {
	const x = await pair('10.9.9.1', '10.9.9.2');
	await ecs().get('JoinSecurityGroup', { RegionId: REGION,
	    InstanceId: x.b, SecurityGroupId: x.ga });
	await authorize(x.ga, [{ IpProtocol: 'tcp', PortRange: '1/65535',
	    SourceCidrIp: '0.0.0.0/0', Priority: 3, Policy: 'drop' }]);
	await authorize(x.gb, [
		{ IpProtocol: 'tcp', PortRange: '443/443', SourceCidrIp: '0.0.0.0/0',
		    Priority: 4 },
		{ IpProtocol: 'udp', PortRange: '53/53', SourceCidrIp: '0.0.0.0/0',
		    Priority: 4 }]);
	const eff = await eng().get('DescribeEffectiveRules', {
	    RegionId: REGION, InstanceId: x.b });
	assert.deepEqual(eff.SecurityGroupIds.SecurityGroupId.sort(),
	    [x.ga, x.gb].sort());
	assert.equal(eff.NetworkType, 'vpc');
	const ing = eff.Rules.Rule.filter((l) => l.Direction === 'ingress');
	assert.deepEqual(ing.map((l) => l.Kind), ['InnerAccessPolicy',
	    'InnerAccessPolicy', 'Rule', 'Rule', 'Rule', 'Default']);
	assert.deepEqual(ing.map((l) => l.Order), [1, 2, 3, 4, 5, 6]);
	const https = ing.find((l) => l.Permission &&
	    l.Permission.PortRange === '443/443');
	assert.equal(https.Shadowed, true);
	assert.equal(https.SecurityGroupId, x.gb);
	assert.equal(https.ShadowedBy.SecurityGroupId, x.ga);
	assert.equal(https.ShadowedBy.Policy, 'Drop');
	const dns = ing.find((l) => l.Permission &&
	    l.Permission.PortRange === '53/53');
	assert.equal(dns.Shadowed, false);
	assert.equal(eff.ShadowedCount, 1);
	const egr = eff.Rules.Rule.filter((l) => l.Direction === 'egress');
	assert.deepEqual(egr.map((l) => l.Kind), ['InnerAccessPolicy',
	    'InnerAccessPolicy', 'Default']);
	/* AnalyzeSecurityGroup sees the same on gb's only member. */
	const an = await eng().get('AnalyzeSecurityGroup', {
	    SecurityGroupId: x.gb });
	const sh = an.Warnings.Warning.filter((w) =>
	    w.Kind === 'ShadowedOnMembers');
	assert.equal(sh.length, 1);
	assert.equal(sh[0].RelatedSecurityGroupId, x.ga);
});

test('what-if: answers as if applied, writes nothing', async () => {
	const x = await pair('10.9.10.1', '10.9.10.2');
	const q = { SourceIp: '198.51.100.9', DestinationInstanceId: x.b,
	    Protocol: 'tcp', DestinationPort: 5432 };
	const count = async () => (await ecs().get(
	    'DescribeSecurityGroupAttribute', { RegionId: REGION,
	    SecurityGroupId: x.gb })).Permissions.Permission.length;
	const before = await count();
	let r = await explain({ ...q, 'AddPermissions.1.SecurityGroupId': x.gb,
	    'AddPermissions.1.Direction': 'ingress',
	    'AddPermissions.1.IpProtocol': 'tcp',
	    'AddPermissions.1.PortRange': '5432/5432',
	    'AddPermissions.1.SourceCidrIp': '198.51.100.0/24',
	    'AddPermissions.1.Priority': '9' });
	assert.equal(r.WhatIf, true);
	assert.equal(r.Accept, true);
	assert.equal(r.Ingress.DecidingItem.SecurityGroupRuleId, 'proposed-1');
	assert.equal(r.Ingress.DecidingItem.Proposed, true);
	assert.equal(r.Ingress.DecidingItem.Priority, 9);
	assert.equal(await count(), before);
	r = await explain(q);
	assert.equal(r.Accept, false);
	/* Change JSON; then removing an existing rule by content. */
	const change = { Add: [{ SecurityGroupId: x.gb, Direction: 'ingress',
	    IpProtocol: 'tcp', PortRange: '5432/5432', SourceCidrIp: '0.0.0.0/0',
	    Priority: 4 }] };
	r = await explain({ ...q, Change: JSON.stringify(change) });
	assert.equal(r.Accept, true);
	await authorize(x.gb, [{ IpProtocol: 'tcp', PortRange: '5432/5432',
	    SourceCidrIp: '198.51.100.9' }]);
	assert.equal((await explain(q)).Accept, true);
	r = await explain({ ...q, Change: JSON.stringify({ Remove: [{
	    SecurityGroupId: x.gb, Direction: 'ingress', IpProtocol: 'tcp',
	    PortRange: '5432/5432', SourceCidrIp: '198.51.100.9' }] }) });
	assert.equal(r.Accept, false);
	const eff = await eng().get('DescribeEffectiveRules', {
	    InstanceId: x.b, Direction: 'ingress',
	    'RemovePermissions.1.SecurityGroupId': x.gb,
	    'RemovePermissions.1.Direction': 'ingress',
	    'RemovePermissions.1.IpProtocol': 'tcp',
	    'RemovePermissions.1.PortRange': '5432/5432',
	    'RemovePermissions.1.SourceCidrIp': '198.51.100.9' });
	assert.equal(eff.WhatIf, true);
	assert.equal(eff.Rules.Rule.filter((l) => l.Kind === 'Rule').length, 0);
	assert.equal(await count(), before + 1);
	/* Errors name the proposed rule's parameter. */
	let e = await h.popFails(explain({ ...q,
	    'AddPermissions.1.SecurityGroupId': x.gb,
	    'AddPermissions.1.Direction': 'ingress',
	    'AddPermissions.1.IpProtocol': 'tcp',
	    'AddPermissions.1.PortRange': '5432/5432' }), 400,
	    'MissingParameter.Source');
	assert.match(e.data.Message || e.message, /Source/);
	await h.popFails(explain({ ...q,
	    'AddPermissions.1.SecurityGroupId': 'sg-doesnotexist',
	    'AddPermissions.1.Direction': 'ingress' }), 404,
	    'InvalidSecurityGroupId.NotFound');
	await h.popFails(explain({ ...q,
	    'RemovePermissions.3.SecurityGroupId': x.gb,
	    'RemovePermissions.3.Direction': 'egress',
	    'RemovePermissions.3.SecurityGroupRuleId': 'sgr-none' }), 404,
	    'SecurityGroupRule.NotFound');
	e = await h.popFails(explain({ ...q,
	    'AddPermissions.2.SecurityGroupId': x.gb,
	    'AddPermissions.2.Direction': 'ingress',
	    'AddPermissions.2.IpProtocol': 'tcp',
	    'AddPermissions.2.PortRange': '99999/1',
	    'AddPermissions.2.SourceCidrIp': '1.2.3.4' }), 400,
	    'InvalidParam.PortRange');
	assert.match(e.message, /AddPermissions\.2\.PortRange/);
	await h.popFails(explain({ ...q, Change: '{"Add":"x"}' }), 400,
	    'InvalidParameter');
});

test('errors: exact Code, HTTP status and the parameter named', async () => {
	const x = await pair('10.9.11.1', '10.9.11.2');
	const base = { DestinationInstanceId: x.b };
	const cases = [
		[{ ...base }, 400, 'MissingParameter', /Protocol/],
		[{ ...base, Protocol: 'tcp', SourceIp: '1.2.3.4' }, 400,
		    'MissingParameter', /DestinationPort/],
		[{ ...base, Protocol: 'tcp', DestinationPort: 1 }, 400,
		    'MissingParameter', /Source/],
		[{ ...base, Protocol: 'sctp', SourceIp: '1.2.3.4' }, 400,
		    'InvalidParameter', /Protocol/],
		[{ ...base, Protocol: 'tcp', DestinationPort: 65536,
		    SourceIp: '1.2.3.4' }, 400, 'InvalidParameter',
		    /DestinationPort/],
		[{ ...base, Protocol: 'tcp', DestinationPort: 1,
		    SourceIp: '1.2.3.256' }, 400, 'InvalidParameter', /SourceIp/],
		[{ ...base, Protocol: 'tcp', DestinationPort: 1,
		    SourceIp: '1.2.3.4', SourceInstanceId: x.a }, 400,
		    'InvalidParameter', /Source/],
		[{ DestinationInstanceId: 'i-missing', Protocol: 'tcp',
		    DestinationPort: 1, SourceIp: '1.2.3.4' }, 404,
		    'InvalidInstanceId.NotFound', /./],
		[{ DestinationNetworkInterfaceId: 'eni-missing', Protocol: 'tcp',
		    DestinationPort: 1, SourceIp: '1.2.3.4' }, 404,
		    'InvalidEniId.NotFound', /eni-missing/],
	];
	for (const [p, st, code, msg] of cases) {
		const e = await h.popFails(eng().get('ExplainPacket', p), st, code);
		assert.match(e.message, msg, JSON.stringify(p));
	}
	await h.popFails(eng().get('DescribeReachability', { RegionId: REGION,
	    DestinationInstanceId: x.b, SourceInstanceId: x.a, Protocol: 'tcp',
	    DestinationPort: 1 }), 400, 'InvalidParameter');
	await h.popFails(eng().get('DescribeEffectiveRules', { RegionId: REGION,
	    InstanceId: x.b, Direction: 'sideways' }), 400, 'InvalidParameter');
	await h.popFails(eng().get('AnalyzeSecurityGroup', {
	    RegionId: 'mars-1' }), 404, 'InvalidRegionId.NotFound');
	await h.popFails(eng(asB).get('AnalyzeSecurityGroup', {
	    SecurityGroupId: x.gb }), 404, 'InvalidSecurityGroupId.NotFound');
	/* The actions belong to our product version only. */
	await h.popFails(ecs().get('ExplainPacket', { ...base, Protocol: 'tcp',
	    DestinationPort: 1, SourceIp: '1.2.3.4' }), 403, 'InvalidAction');
});

test('AnalyzeSecurityGroup: every warning kind', async () => {
	const { vpcId, vswId } = await net();
	const g = await group(vpcId);
	const lonely = await group(vpcId);
	const gone = await group(vpcId);
	await instance({ VSwitchId: vswId, SecurityGroupId: g,
	    PrivateIpAddress: '10.9.12.1' });
	await authorize(g, [
		{ IpProtocol: 'all', SourceCidrIp: '0.0.0.0/0', Priority: 50 },
		{ IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '10.0.0.0/8',
		    Priority: 60 },
		{ IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '1.2.3.4',
		    Priority: 60, Policy: 'drop' },
		{ IpProtocol: 'tcp', PortRange: '8080/8080', SourceGroupId: gone }]);
	/* A reference left dangling (state from before references were
	 * checked): the group's rows are removed from the stopped store. */
	await h.killServer(srv.srv, 'SIGTERM');
	h.sqlite(srv.srv, `DELETE FROM resources WHERE id = '${gone}';`);
	srv.srv = await h.restartServer(srv.srv);
	srv.port = srv.srv.port;
	const an = await eng().get('AnalyzeSecurityGroup', { RegionId: REGION });
	const mine = an.Warnings.Warning.filter((w) => w.SecurityGroupId === g);
	const kinds = mine.map((w) => w.Kind).sort();
	assert.deepEqual(kinds, ['DeletedGroupReference',
	    'OpenAdministrativePort', 'OpenAdministrativePort',
	    'OpenAdministrativePort', 'OpenAdministrativePort',
	    'OpenAdministrativePort', 'OpenAdministrativePort',
	    'OpenAdministrativePort', 'OpenAdministrativePort',
	    'RedundantRule', 'ShadowedRule']);
	const ports = mine.filter((w) => w.Kind === 'OpenAdministrativePort')
	    .map((w) => w.Port).sort((a, b) => a - b);
	assert.deepEqual(ports, [22, 23, 1433, 1521, 3306, 3389, 5432, 6379]);
	const shadowed = mine.find((w) => w.Kind === 'ShadowedRule');
	assert.equal(shadowed.Policy, 'Drop');
	assert.equal(shadowed.Severity, 'Medium');
	const noMembers = an.Warnings.Warning.filter((w) =>
	    w.Kind === 'NoMembers').map((w) => w.SecurityGroupId);
	assert.ok(noMembers.includes(lonely));
	assert.ok(!noMembers.includes(g));
	assert.equal(an.TotalCount, an.Warnings.Warning.length);
	const sum = an.SecurityGroups.SecurityGroup.find((s) =>
	    s.SecurityGroupId === g);
	assert.equal(sum.RuleCount, 4);
	assert.equal(sum.MemberCount, 1);
	assert.equal(sum.WarningCount, mine.length);
});

test('Tea V3 client (generic callApi) reaches the engine actions',
    async () => {
	const x = await pair('10.9.13.1', '10.9.13.2');
	const body = await h.teaCall(h.ecsV3(srv.port), 'DescribeEffectiveRules',
	    ENG, { RegionId: REGION, InstanceId: x.a });
	assert.equal(body.InstanceId, x.a);
	assert.ok(Array.isArray(body.Rules.Rule));
	assert.equal(body.Rules.Rule.at(-1).Kind, 'Default');
});

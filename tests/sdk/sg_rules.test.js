'use strict';
/*
 * Security-group rules (ECS 2014-05-26, ecs-api.md §4.7-4.12, §9.1, seed
 * §1.3-1.6) through the official clients: AuthorizeSecurityGroup[Egress],
 * RevokeSecurityGroup[Egress], ModifySecurityGroup[Egress]Rule and their
 * read-back by DescribeSecurityGroupAttribute (Direction, NicType), every
 * value rule and group check with its exact Code and HTTP status, basic vs
 * enterprise vs classic groups, and the rules-per-group quota (100, counting
 * inbound and outbound together; 30 with --sg-per-eni 16).
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const srv = h.useServer();
const D = h.ecsDrivers(srv);
const V3 = D['ecs20140526 tea V3'];
const POP = D['pop-core GET'];
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const REGION = 'cn-hangzhou';

/* Every field of a Permission (§4.4): strings, "" when unused. */
const PERM_STRINGS = ['SecurityGroupRuleId', 'Direction', 'IpProtocol',
    'PortRange', 'SourcePortRange', 'PortRangeListId', 'PortRangeListName',
    'SourceCidrIp', 'DestCidrIp', 'Ipv6SourceCidrIp', 'Ipv6DestCidrIp',
    'SourceGroupId', 'DestGroupId', 'SourceGroupName', 'DestGroupName',
    'SourceGroupOwnerAccount', 'DestGroupOwnerAccount', 'SourcePrefixListId',
    'DestPrefixListId', 'SourcePrefixListName', 'DestPrefixListName',
    'NicType', 'Policy', 'Description', 'CreateTime'];

let vpcA = null;	/* { vpcId } shared by most tests */
let vpcB = null;

async function vpcs() {
	if (!vpcA) {
		vpcA = await h.makeVpc(srv.port, { region: REGION,
		    cidr: '10.10.0.0/16' });
		vpcB = await h.makeVpc(srv.port, { region: REGION,
		    cidr: '10.20.0.0/16' });
	}
	return [vpcA.vpcId, vpcB.vpcId];
}

async function mkGroup(p = {}, d = V3) {
	return (await d.call('CreateSecurityGroup', { RegionId: REGION, ...p }))
	    .SecurityGroupId;
}

async function vpcGroup(p = {}) {
	const [a] = await vpcs();
	return mkGroup({ VpcId: a, ...p });
}

/* The rules of a group, as on the wire (pop-core), shape checked. */
async function perms(id, p = {}) {
	const b = await POP.call('DescribeSecurityGroupAttribute', {
	    RegionId: REGION, SecurityGroupId: id, ...p });
	assert.ok(Array.isArray(b.Permissions.Permission));
	for (const x of b.Permissions.Permission) {
		for (const f of PERM_STRINGS)
			assert.equal(typeof x[f], 'string', `Permission.${f} string`);
		assert.equal(typeof x.Priority, 'number', 'Priority is a number');
		assert.match(x.SecurityGroupRuleId, /^sgr-[0-9a-z]+$/);
		assert.match(x.CreateTime, ISO);
	}
	return b.Permissions.Permission;
}

/* The fields of p that are set (not ""), minus ids and times. */
function essentials(p) {
	const o = {};
	for (const [k, v] of Object.entries(p))
		if (v !== '' && !['SecurityGroupRuleId', 'CreateTime'].includes(k))
			o[k] = v;
	return o;
}

function byKey(list) {
	return [...list].sort((a, b) => JSON.stringify(essentials(a))
	    .localeCompare(JSON.stringify(essentials(b))));
}

async function del(id) {
	await V3.call('DeleteSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: id });
}

for (const [name, d] of Object.entries(D)) {
	test(`authorize, read back, revoke via ${name}`, async () => {
		const id = await vpcGroup({ SecurityGroupName: 'rules' });
		await d.call('AuthorizeSecurityGroup', { RegionId: REGION,
		    SecurityGroupId: id, Permissions: [
			{ IpProtocol: 'tcp', PortRange: '22/22',
			    SourceCidrIp: '203.0.113.7', Priority: '1',
			    Description: 'ssh (office) 日本' },
			{ IpProtocol: 'UDP', PortRange: '53/53',
			    SourceCidrIp: '10.0.0.0/8', Policy: 'drop',
			    Priority: '100' },
			{ IpProtocol: 'Icmp', SourceCidrIp: '0.0.0.0/0',
			    Priority: '50', Policy: 'Accept' },
			{ IpProtocol: 'tcp', PortRange: '8000/8080',
			    Ipv6SourceCidrIp: '2001:db8::/64',
			    SourcePortRange: '1024/65535' }] });
		await d.call('AuthorizeSecurityGroupEgress', { RegionId: REGION,
		    SecurityGroupId: id, Permissions: [
			{ IpProtocol: 'all', DestCidrIp: '192.0.2.0/24',
			    Policy: 'drop', Priority: '2' },
			{ IpProtocol: 'tcp', PortRange: '443/443',
			    DestCidrIp: '198.51.100.10', Priority: '1',
			    Description: 'https out' }] });
		const all = await perms(id);
		assert.equal(all.length, 6);
		const want = [
		    { Direction: 'ingress', IpProtocol: 'TCP', PortRange: '22/22',
			SourceCidrIp: '203.0.113.7', Policy: 'Accept', Priority: 1,
			NicType: 'intranet', Description: 'ssh (office) 日本' },
		    { Direction: 'ingress', IpProtocol: 'UDP', PortRange: '53/53',
			SourceCidrIp: '10.0.0.0/8', Policy: 'Drop', Priority: 100,
			NicType: 'intranet' },
		    { Direction: 'ingress', IpProtocol: 'ICMP', PortRange: '-1/-1',
			SourceCidrIp: '0.0.0.0/0', Policy: 'Accept', Priority: 50,
			NicType: 'intranet' },
		    { Direction: 'ingress', IpProtocol: 'TCP',
			PortRange: '8000/8080', Ipv6SourceCidrIp: '2001:db8::/64',
			SourcePortRange: '1024/65535', Policy: 'Accept',
			Priority: 1, NicType: 'intranet' },
		    { Direction: 'egress', IpProtocol: 'ALL', PortRange: '-1/-1',
			DestCidrIp: '192.0.2.0/24', Policy: 'Drop', Priority: 2,
			NicType: 'intranet' },
		    { Direction: 'egress', IpProtocol: 'TCP', PortRange: '443/443',
			DestCidrIp: '198.51.100.10', Policy: 'Accept',
			Priority: 1, NicType: 'intranet',
			Description: 'https out' }];
		assert.deepEqual(byKey(all.map(essentials)), byKey(want));
		assert.equal(new Set(all.map((p) => p.SecurityGroupRuleId)).size, 6);
		/* Direction filter */
		assert.equal((await perms(id, { Direction: 'ingress' })).length, 4);
		assert.deepEqual((await perms(id, { Direction: 'egress' }))
		    .map((p) => p.Direction), ['egress', 'egress']);
		assert.equal((await perms(id, { Direction: 'all' })).length, 6);
		/* VPC groups: any NicType reads the (intranet) rules */
		assert.equal((await perms(id, { NicType: 'internet' })).length, 6);
		assert.equal((await perms(id, { NicType: 'intranet',
		    Direction: 'egress' })).length, 2);
		/* the driver's own read */
		const own = await d.call('DescribeSecurityGroupAttribute', {
		    RegionId: REGION, SecurityGroupId: id, Direction: 'egress' });
		assert.deepEqual(own.Permissions.Permission.map((p) =>
		    p.DestCidrIp).sort(), ['192.0.2.0/24', '198.51.100.10']);
		const g = await POP.call('DescribeSecurityGroups', {
		    RegionId: REGION, SecurityGroupId: id });
		assert.equal(g.SecurityGroups.SecurityGroup[0].RuleCount, 6);

		/* revoke ingress by content (Description plays no part) */
		await d.call('RevokeSecurityGroup', { RegionId: REGION,
		    SecurityGroupId: id, Permissions: [
			{ IpProtocol: 'tcp', PortRange: '22/22',
			    SourceCidrIp: '203.0.113.7', Description: 'other' },
			{ IpProtocol: 'udp', PortRange: '53/53',
			    SourceCidrIp: '10.0.0.0/8', Policy: 'Drop',
			    Priority: '100' }] });
		assert.deepEqual((await perms(id, { Direction: 'ingress' }))
		    .map((p) => p.IpProtocol).sort(), ['ICMP', 'TCP']);
		/* by SecurityGroupRuleId.N */
		const ing = await perms(id, { Direction: 'ingress' });
		await d.call('RevokeSecurityGroup', { RegionId: REGION,
		    SecurityGroupId: id, SecurityGroupRuleId: ing.map((p) =>
			p.SecurityGroupRuleId) });
		const eg = await perms(id, { Direction: 'egress' });
		await d.call('RevokeSecurityGroupEgress', { RegionId: REGION,
		    SecurityGroupId: id, SecurityGroupRuleId: [
			eg[0].SecurityGroupRuleId] });
		await d.call('RevokeSecurityGroupEgress', { RegionId: REGION,
		    SecurityGroupId: id, Permissions: [{ IpProtocol: 'TCP',
			PortRange: '443/443', DestCidrIp: '198.51.100.10' },
			{ IpProtocol: 'ALL', DestCidrIp: '192.0.2.0/24',
			    Policy: 'drop', Priority: '2' }] });
		assert.deepEqual(await perms(id), []);
		await del(id);
	});
}

test('authorize is idempotent by content; duplicates in a request refused; flat form',
    async () => {
	const id = await vpcGroup();
	const ssh = { IpProtocol: 'tcp', PortRange: '22/22',
	    SourceCidrIp: '10.0.0.1', Description: 'first' };
	await V3.call('AuthorizeSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: id, Permissions: [ssh] });
	const [r1] = await perms(id);
	/* the same rule again, spelt differently, other Description */
	for (const again of [ssh, { ...ssh, IpProtocol: 'TCP' },
	    { ...ssh, SourceCidrIp: '10.0.0.1/32' },
	    { ...ssh, Description: 'second' }, { ...ssh, Policy: 'accept',
		Priority: '1' }])
		await POP.call('AuthorizeSecurityGroup', { RegionId: REGION,
		    SecurityGroupId: id, Permissions: [again] });
	let list = await perms(id);
	assert.equal(list.length, 1, 'no rule added twice');
	assert.equal(list[0].SecurityGroupRuleId, r1.SecurityGroupRuleId);
	assert.equal(list[0].Description, 'first');
	assert.equal(list[0].SourceCidrIp, '10.0.0.1', 'stored as first given');
	/* differing in policy or priority: other rules */
	await V3.call('AuthorizeSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: id, Permissions: [{ ...ssh, Priority: '2' },
		{ ...ssh, Policy: 'drop' }] });
	assert.equal((await perms(id)).length, 3);

	/* duplicates inside one request */
	for (const d of [V3, POP])
		await d.fails('AuthorizeSecurityGroup', { RegionId: REGION,
		    SecurityGroupId: id, Permissions: [
			{ IpProtocol: 'udp', PortRange: '1/2', SourceCidrIp: '1.1.1.1' },
			{ IpProtocol: 'UDP', PortRange: '1/2', SourceCidrIp: '1.1.1.1',
			    Description: 'dup' }] }, 400,
		    'InvalidParam.DuplicatePermissions');
	/* all or nothing: a valid rule next to an invalid one */
	await V3.fails('AuthorizeSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: id, Permissions: [
		{ IpProtocol: 'udp', PortRange: '7/7', SourceCidrIp: '1.1.1.1' },
		{ IpProtocol: 'udp', PortRange: '8/8', SourceCidrIp: 'bad' }] },
	    400, 'InvalidSourceCidrIp.Malformed');
	await V3.fails('AuthorizeSecurityGroupEgress', { RegionId: REGION,
	    SecurityGroupId: id, Permissions: [
		{ IpProtocol: 'udp', PortRange: '7/7', DestCidrIp: '1.1.1.1' },
		{ IpProtocol: 'udp', PortRange: '8/8', DestGroupId: id }] },
	    403, 'InvalidSecurityGroup.IsSame');
	assert.equal((await perms(id)).length, 3, 'nothing of those was added');

	/* the deprecated flat form */
	for (const d of [V3, POP])
		await d.call('AuthorizeSecurityGroup', { RegionId: REGION,
		    SecurityGroupId: id, IpProtocol: 'tcp', PortRange: '80/80',
		    SourceCidrIp: '0.0.0.0/0', Policy: 'accept', Priority: '7',
		    NicType: 'intranet', Description: 'flat' });
	await V3.call('AuthorizeSecurityGroupEgress', { RegionId: REGION,
	    SecurityGroupId: id, IpProtocol: 'gre', DestCidrIp: '10.9.0.0/16' });
	list = await perms(id);
	assert.equal(list.length, 5);
	const flat = list.find((p) => p.PortRange === '80/80');
	assert.deepEqual(essentials(flat), { Direction: 'ingress',
	    IpProtocol: 'TCP', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0',
	    Policy: 'Accept', Priority: 7, NicType: 'intranet',
	    Description: 'flat' });
	const gre = list.find((p) => p.IpProtocol === 'GRE');
	assert.deepEqual(essentials(gre), { Direction: 'egress',
	    IpProtocol: 'GRE', PortRange: '-1/-1', DestCidrIp: '10.9.0.0/16',
	    Policy: 'Accept', Priority: 1, NicType: 'intranet' });
	/* both forms at once */
	for (const d of [V3, POP]) {
		await d.fails('AuthorizeSecurityGroup', { RegionId: REGION,
		    SecurityGroupId: id, IpProtocol: 'tcp', PortRange: '81/81',
		    SourceCidrIp: '0.0.0.0/0', Permissions: [{ IpProtocol: 'tcp',
			PortRange: '82/82', SourceCidrIp: '0.0.0.0/0' }] }, 400,
		    'InvalidParam.Permissions');
		await d.fails('RevokeSecurityGroupEgress', { RegionId: REGION,
		    SecurityGroupId: id, IpProtocol: 'gre',
		    DestCidrIp: '10.9.0.0/16', Permissions: [{ IpProtocol: 'gre',
			DestCidrIp: '10.9.0.0/16' }] }, 400,
		    'InvalidParam.Permissions');
	}
	/* Permissions.N: 1..100 */
	await POP.fails('AuthorizeSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: id, Permissions: Array.from({ length: 101 },
		(_, i) => ({ IpProtocol: 'tcp', PortRange: `${i + 1}/${i + 1}`,
		    SourceCidrIp: '1.1.1.1' })) }, 400, 'InvalidParameter');
	assert.equal((await perms(id)).length, 5);
	/* ClientToken: a replay is answered, other parameters are not */
	const tok = { RegionId: REGION, SecurityGroupId: id,
	    ClientToken: `auth-${h.nonce()}`, Permissions: [{ IpProtocol: 'udp',
		PortRange: '9/9', SourceCidrIp: '9.9.9.9' }] };
	await V3.call('AuthorizeSecurityGroup', tok);
	await POP.call('AuthorizeSecurityGroup', tok);
	await V3.fails('AuthorizeSecurityGroup', { ...tok, Permissions: [{
	    IpProtocol: 'udp', PortRange: '10/10', SourceCidrIp: '9.9.9.9' }] },
	    400, 'IdempotentParameterMismatch');
	assert.equal((await perms(id)).length, 6);
	/* missing group / region */
	await V3.fails('AuthorizeSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: 'sg-doesnotexist0000', Permissions: [ssh] }, 404,
	    'InvalidSecurityGroupId.NotFound');
	await V3.fails('AuthorizeSecurityGroupEgress', { RegionId: REGION,
	    Permissions: [ssh] }, 400, 'MissingParameter');
	await V3.fails('AuthorizeSecurityGroup', { RegionId: 'cn-beijing',
	    SecurityGroupId: id, Permissions: [ssh] }, 404,
	    'InvalidSecurityGroupId.NotFound');
	await del(id);
});

/* [permission fields, code] pairs refused with 400 (ingress). */
const BAD_INGRESS = [
	[{ IpProtocol: 'sctp', PortRange: '1/2' }, 'InvalidIpProtocol.ValueNotSupported'],
	[{ IpProtocol: '', PortRange: '1/2' }, 'InvalidIpProtocol.ValueNotSupported'],
	[{ IpProtocol: 'tcp' }, 'InvalidPortRange.Malformed'],
	[{ IpProtocol: 'udp' }, 'InvalidPortRange.Malformed'],
	[{ IpProtocol: 'tcp', PortRange: '0/10' }, 'InvalidParam.PortRange'],
	[{ IpProtocol: 'tcp', PortRange: '1/65536' }, 'InvalidParam.PortRange'],
	[{ IpProtocol: 'tcp', PortRange: '22' }, 'InvalidParam.PortRange'],
	[{ IpProtocol: 'tcp', PortRange: '22/21' }, 'InvalidParam.PortRange'],
	[{ IpProtocol: 'tcp', PortRange: 'a/b' }, 'InvalidParam.PortRange'],
	[{ IpProtocol: 'tcp', PortRange: '22-22' }, 'InvalidParam.PortRange'],
	[{ IpProtocol: 'tcp', PortRange: '-1/22' }, 'InvalidParam.PortRange'],
	[{ IpProtocol: 'tcp', PortRange: '-1/-1' }, 'OperationDenied'],
	[{ IpProtocol: 'icmp', PortRange: '22/22' }, 'OperationDenied'],
	[{ IpProtocol: 'gre', PortRange: '1/1' }, 'OperationDenied'],
	[{ IpProtocol: 'all', PortRange: '1/65535' }, 'OperationDenied'],
	[{ IpProtocol: 'tcp', PortRange: '1/2', SourcePortRange: '5' },
	    'InvalidSourcePortRange.Malformed'],
	[{ IpProtocol: 'icmp', SourcePortRange: '1/2' },
	    'InvalidSourcePortRange.Malformed'],
	[{ IpProtocol: 'tcp', PortRange: '1/2', Policy: 'allow' },
	    'InvalidPolicy.Malformed'],
	[{ IpProtocol: 'tcp', PortRange: '1/2', Priority: '0' },
	    'InvalidPriority.ValueNotSupported'],
	[{ IpProtocol: 'tcp', PortRange: '1/2', Priority: '101' },
	    'InvalidPriority.ValueNotSupported'],
	[{ IpProtocol: 'tcp', PortRange: '1/2', Priority: '110' },
	    'InvalidPriority.ValueNotSupported'],
	[{ IpProtocol: 'tcp', PortRange: '1/2', Priority: 'high' },
	    'InvalidPriority.Malformed'],
	[{ IpProtocol: 'tcp', PortRange: '1/2', Priority: '-1' },
	    'InvalidPriority.Malformed'],
	[{ IpProtocol: 'tcp', PortRange: '1/2', NicType: 'wan' },
	    'InvalidNicType.ValueNotSupported'],
	[{ IpProtocol: 'tcp', PortRange: '1/2', Description: 'd'.repeat(513) },
	    'InvalidSecurityGroupDiscription.Malformed'],
	[{ IpProtocol: 'tcp', PortRange: '1/2', SourceCidrIp: null },
	    'MissingParameter.Source'],
	[{ IpProtocol: 'tcp', PortRange: '1/2', SourceCidrIp: '10.0.0.0/33' },
	    'InvalidSourceCidrIp.Malformed'],
	[{ IpProtocol: 'tcp', PortRange: '1/2', SourceCidrIp: '300.1.1.1' },
	    'InvalidSourceCidrIp.Malformed'],
	[{ IpProtocol: 'tcp', PortRange: '1/2', SourceCidrIp: 'any' },
	    'InvalidSourceCidrIp.Malformed'],
	[{ IpProtocol: 'tcp', PortRange: '1/2', SourceCidrIp: '2001:db8::1' },
	    'InvalidSourceCidrIp.Malformed'],
	[{ IpProtocol: 'tcp', PortRange: '1/2', SourceCidrIp: null,
	    Ipv6SourceCidrIp: '10.0.0.1' }, 'InvalidParam.Ipv6SourceCidrIp'],
	[{ IpProtocol: 'tcp', PortRange: '1/2', SourceCidrIp: null,
	    Ipv6SourceCidrIp: '2001:db8::/129' }, 'InvalidParam.Ipv6SourceCidrIp'],
	[{ IpProtocol: 'tcp', PortRange: '1/2', Ipv6SourceCidrIp: '2001:db8::1' },
	    'InvalidParam.SourceIp'],
	[{ IpProtocol: 'tcp', PortRange: '1/2', DestCidrIp: 'bad' },
	    'InvalidDestCidrIp.Malformed'],
	[{ IpProtocol: 'tcp', PortRange: '1/2', DestCidrIp: '10.1.1.1',
	    Ipv6DestCidrIp: '2001:db8::2' }, 'InvalidParam.DestIp'],
	[{ IpProtocol: 'tcp', PortRange: '1/2', Ipv6DestCidrIp: '2001:db8::2' },
	    'InvalidParam.DestIp'],
	[{ IpProtocol: 'tcp', PortRange: '1/2', DestCidrIp: '10.0.0.1/32' },
	    'InvalidParamter.Conflict'],
	[{ IpProtocol: 'icmp', SourceCidrIp: null, Ipv6SourceCidrIp: '::/0' },
	    'InvalidParam.Ipv4ProtocolConflictWithIpv6Address'],
	[{ IpProtocol: 'icmpv6' },
	    'InvalidParam.Ipv6ProtocolConflictWithIpv4Address'],
	[{ IpProtocol: 'tcp', PortRange: '1/2', SourceGroupId: 'sg-x',
	    SourceCidrIp: null, SourceGroupOwnerAccount: '1111111111111111',
	    SourceGroupOwnerId: '2222222222222222' }, 'InvalidParameter'],
];

/* The egress mirror of a row: Source* <-> Dest*, error names too. */
function toEgress([p, code]) {
	const swap = (k) => k.startsWith('Source') ? k.replace('Source', 'Dest') :
	    k.startsWith('Dest') ? k.replace('Dest', 'Source') :
	    k.startsWith('Ipv6Source') ? k.replace('Ipv6Source', 'Ipv6Dest') :
	    k.startsWith('Ipv6Dest') ? k.replace('Ipv6Dest', 'Ipv6Source') : k;
	const q = {};
	for (const [k, v] of Object.entries(p))
		q[k === 'SourcePortRange' ? k : swap(k)] = v;
	const c = { 'MissingParameter.Source': 'MissingParameter.Dest',
	    'InvalidSourceCidrIp.Malformed': 'InvalidDestCidrIp.Malformed',
	    'InvalidDestCidrIp.Malformed': 'InvalidSourceCidrIp.Malformed',
	    'InvalidParam.Ipv6SourceCidrIp': 'InvalidParam.Ipv6DestCidrIp',
	    'InvalidParam.SourceIp': 'InvalidParam.DestIp',
	    'InvalidParam.DestIp': 'InvalidParam.SourceIp' }[code] || code;
	return [q, c];
}

test('rule values: every §9.1 rule with its code (ingress and egress)',
    async () => {
	const id = await vpcGroup();
	const cases = [
	    ...BAD_INGRESS.map(([p, code]) => ['AuthorizeSecurityGroup',
		{ SourceCidrIp: '10.0.0.1', ...p }, code]),
	    ...BAD_INGRESS.map(toEgress).map(([p, code]) => [
		'AuthorizeSecurityGroupEgress', { DestCidrIp: '10.0.0.1', ...p },
		code])];
	for (const [action, p, code] of cases) {
		for (const k of Object.keys(p))
			if (p[k] === null)
				delete p[k];
		await V3.fails(action, { RegionId: REGION, SecurityGroupId: id,
		    Permissions: [p] }, 400, code);
		/* flat form: the same answer */
		await POP.fails(action, { RegionId: REGION, SecurityGroupId: id,
		    ...p }, 400, code);
	}
	assert.deepEqual(await perms(id), [], 'nothing was stored');
	/* limits that are fine */
	await V3.call('AuthorizeSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: id, Permissions: [
		{ IpProtocol: 'tcp', PortRange: '1/65535', SourceCidrIp: '0.0.0.0/0',
		    Description: 'd'.repeat(512), Priority: '100' },
		{ IpProtocol: 'tcp', PortRange: '65535/65535',
		    SourceCidrIp: '10.0.0.0/8', Description: '説'.repeat(512) },
		{ IpProtocol: 'icmpv6', Ipv6SourceCidrIp: '::/0' },
		{ IpProtocol: 'all', PortRange: '-1/-1', SourceCidrIp: '10.1.0.0/16',
		    DestCidrIp: '10.2.3.4' }] });
	const list = await perms(id);
	assert.equal(list.length, 4);
	assert.equal(list.find((p) => p.IpProtocol === 'ICMPV6')
	    .Ipv6SourceCidrIp, '::/0');
	assert.equal(list.find((p) => p.IpProtocol === 'ALL').DestCidrIp,
	    '10.2.3.4');
	assert.ok(list.some((p) => p.Description === '説'.repeat(512)));
	await del(id);
});

test('group peers: self, not found, other VPC, classic, enterprise, region',
    async () => {
	const [va, vb] = await vpcs();
	const a = await vpcGroup({ SecurityGroupName: 'peer-a' });
	const b = await vpcGroup({ SecurityGroupName: 'peer-b' });
	const other = await mkGroup({ VpcId: vb });
	const classic = await mkGroup();
	const ent = await mkGroup({ VpcId: va, SecurityGroupType: 'enterprise' });
	const far = (await V3.call('CreateSecurityGroup', {
	    RegionId: 'cn-shanghai' })).SecurityGroupId;
	const account = h.rootAccount(srv.srv);
	const ing = (p) => ({ RegionId: REGION, SecurityGroupId: a,
	    Permissions: [{ IpProtocol: 'tcp', PortRange: '22/22', ...p }] });
	const eg = (p) => ({ RegionId: REGION, SecurityGroupId: a,
	    Permissions: [{ IpProtocol: 'tcp', PortRange: '22/22', ...p }] });
	const AI = 'AuthorizeSecurityGroup';
	const AE = 'AuthorizeSecurityGroupEgress';
	for (const d of [V3, POP]) {
		await d.fails(AI, ing({ SourceGroupId: a }), 403,
		    'InvalidParamter.Conflict');
		await d.fails(AI, ing({ SourceGroupId: a,
		    SourceGroupOwnerAccount: account }), 403,
		    'InvalidParamter.Conflict');
		await d.fails(AE, eg({ DestGroupId: a }), 403,
		    'InvalidSecurityGroup.IsSame');
		await d.fails(AI, ing({ SourceGroupId: 'sg-doesnotexist0000' }),
		    404, 'InvalidSourceGroupId.NotFound');
		await d.fails(AE, eg({ DestGroupId: 'sg-doesnotexist0000' }), 404,
		    'InvalidDestGroupId.NotFound');
		await d.fails(AI, ing({ SourceGroupId: far }), 404,
		    'InvalidSourceGroupId.NotFound');
		await d.fails(AI, ing({ SourceGroupId: b,
		    SourceGroupOwnerAccount: '1999999999999999' }), 404,
		    'InvalidSourceGroupId.NotFound');
		await d.fails(AI, ing({ SourceGroupId: other }), 400,
		    'InvalidSourceGroupId.Mismatch');
		await d.fails(AE, eg({ DestGroupId: other }), 400,
		    'InvalidDestGroupId.Mismatch');
		await d.fails(AI, ing({ SourceGroupId: classic }), 403,
		    'InvalidNetworkType.Mismatch');
		await d.fails(AE, eg({ DestGroupId: classic }), 403,
		    'InvalidNetworkType.Conflict');
		await d.fails(AI, ing({ SourceGroupId: ent }), 400,
		    'InvalidGroupAuthParameter.OperationDenied');
		await d.fails(AE, eg({ DestGroupId: ent }), 400,
		    'InvalidGroupAuthParameter.OperationDenied');
	}
	assert.deepEqual(await perms(a), []);

	/* a group peer: names the group, its name follows renames */
	await V3.call(AI, ing({ SourceGroupId: b, Priority: '3' }));
	await V3.call(AE, eg({ DestGroupId: b, DestGroupOwnerAccount: account }));
	let list = await perms(a);
	const i = list.find((p) => p.Direction === 'ingress');
	assert.deepEqual(essentials(i), { Direction: 'ingress',
	    IpProtocol: 'TCP', PortRange: '22/22', SourceGroupId: b,
	    SourceGroupName: 'peer-b', Policy: 'Accept', Priority: 3,
	    NicType: 'intranet' });
	const e = list.find((p) => p.Direction === 'egress');
	assert.equal(e.DestGroupId, b);
	assert.equal(e.DestGroupName, 'peer-b');
	assert.equal(e.DestGroupOwnerAccount, account);
	await V3.call('ModifySecurityGroupAttribute', { RegionId: REGION,
	    SecurityGroupId: b, SecurityGroupName: 'peer-b2' });
	list = await perms(a);
	assert.deepEqual(list.map((p) => p.SourceGroupName || p.DestGroupName),
	    ['peer-b2', 'peer-b2']);
	/* a CIDR given with a group wins over it (§4.7) */
	await V3.call(AI, ing({ SourceGroupId: b, SourceCidrIp: '10.7.7.7',
	    PortRange: '23/23' }));
	const c = (await perms(a)).find((p) => p.PortRange === '23/23');
	assert.equal(c.SourceCidrIp, '10.7.7.7');
	assert.equal(c.SourceGroupId, '');

	/* a basic group names at most 20 other groups (§4.7) */
	const peers = [];
	for (let k = 0; k < 20; k++)
		peers.push(await vpcGroup());
	await V3.call(AI, { RegionId: REGION, SecurityGroupId: a,
	    Permissions: peers.slice(0, 19).map((g) => ({ IpProtocol: 'icmp',
		SourceGroupId: g })) });
	/* b and 19 others: 20; a 21st is refused, b again is not */
	await V3.fails(AE, { RegionId: REGION, SecurityGroupId: a,
	    Permissions: [{ IpProtocol: 'all', DestGroupId: peers[19] }] }, 403,
	    'AuthorizationLimitExceed');
	await V3.call(AE, { RegionId: REGION, SecurityGroupId: a,
	    Permissions: [{ IpProtocol: 'all', DestGroupId: peers[0] }] });
	const g = await POP.call('DescribeSecurityGroups', { RegionId: REGION,
	    SecurityGroupId: a });
	assert.equal(g.SecurityGroups.SecurityGroup[0].GroupToGroupRuleCount,
	    22);
	await del(a);
	for (const x of [b, other, classic, ent, ...peers])
		await del(x);
	await V3.call('DeleteSecurityGroup', { RegionId: 'cn-shanghai',
	    SecurityGroupId: far });
});

test('enterprise groups: accept-only, no priorities, CIDR peers only',
    async () => {
	const id = await vpcGroup({ SecurityGroupType: 'enterprise' });
	const peer = await vpcGroup();
	const base = { IpProtocol: 'tcp', PortRange: '443/443',
	    SourceCidrIp: '0.0.0.0/0' };
	for (const d of [V3, POP]) {
		for (const p of [{ Policy: 'drop' }, { Priority: '2' },
		    { Priority: '100' }, { SourceCidrIp: '', SourceGroupId: peer }])
			await d.fails('AuthorizeSecurityGroup', { RegionId: REGION,
			    SecurityGroupId: id, Permissions: [{ ...base, ...p }] },
			    400, 'InvalidGroupParameter.OperationDenied');
		await d.fails('AuthorizeSecurityGroupEgress', { RegionId: REGION,
		    SecurityGroupId: id, Permissions: [{ IpProtocol: 'all',
			DestGroupId: peer }] }, 400,
		    'InvalidGroupParameter.OperationDenied');
		await d.fails('AuthorizeSecurityGroupEgress', { RegionId: REGION,
		    SecurityGroupId: id, Permissions: [{ IpProtocol: 'all',
			DestCidrIp: '0.0.0.0/0', Policy: 'Drop' }] }, 400,
		    'InvalidGroupParameter.OperationDenied');
	}
	await V3.call('AuthorizeSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: id, Permissions: [base, { ...base,
		PortRange: '80/80', Priority: '1', Policy: 'accept',
		SourcePortRange: '1/65535' }] });
	await V3.call('AuthorizeSecurityGroupEgress', { RegionId: REGION,
	    SecurityGroupId: id, Permissions: [{ IpProtocol: 'all',
		DestCidrIp: '0.0.0.0/0' }] });
	const list = await perms(id);
	assert.equal(list.length, 3);
	for (const p of list) {
		assert.equal(p.Policy, 'Accept');
		assert.equal(p.Priority, 1);
	}
	assert.equal(list.find((p) => p.PortRange === '80/80').SourcePortRange,
	    '1/65535');
	await del(id);
	await del(peer);
});

test('classic groups: NicType internet/intranet, intranet ingress /32 only',
    async () => {
	const id = await mkGroup({ SecurityGroupName: 'classic' });
	const peer = await mkGroup({ SecurityGroupName: 'classic-peer' });
	const AI = 'AuthorizeSecurityGroup';
	const AE = 'AuthorizeSecurityGroupEgress';
	const r = (action, p) => V3.call(action, { RegionId: REGION,
	    SecurityGroupId: id, Permissions: [p] });
	await r(AI, { IpProtocol: 'tcp', PortRange: '80/80',
	    SourceCidrIp: '0.0.0.0/0' });
	await r(AI, { IpProtocol: 'tcp', PortRange: '22/22',
	    SourceCidrIp: '10.0.0.5', NicType: 'intranet' });
	await r(AI, { IpProtocol: 'tcp', PortRange: '23/23',
	    SourceCidrIp: '10.0.0.6/32', NicType: 'intranet' });
	await r(AI, { IpProtocol: 'all', SourceGroupId: peer });
	await r(AE, { IpProtocol: 'all', DestCidrIp: '10.0.0.0/8',
	    NicType: 'intranet' });
	await r(AE, { IpProtocol: 'udp', PortRange: '53/53',
	    DestCidrIp: '0.0.0.0/0' });
	for (const d of [V3, POP]) {
		/* classic intranet inbound by address: one IPv4 /32 only */
		for (const cidr of ['10.0.0.0/24', '10.0.0.0/31', '0.0.0.0/0'])
			await d.fails(AI, { RegionId: REGION, SecurityGroupId: id,
			    Permissions: [{ IpProtocol: 'tcp', PortRange: '1/1',
				SourceCidrIp: cidr, NicType: 'intranet' }] }, 400,
			    'InvalidSourceCidrIp.Malformed');
		await d.fails(AI, { RegionId: REGION, SecurityGroupId: id,
		    Permissions: [{ IpProtocol: 'tcp', PortRange: '1/1',
			SourceGroupId: peer, NicType: 'internet' }] }, 403,
		    'InvalidSourceGroupId.Mismatch');
		await d.fails(AE, { RegionId: REGION, SecurityGroupId: id,
		    Permissions: [{ IpProtocol: 'all', DestGroupId: peer,
			NicType: 'internet' }] }, 403,
		    'InvalidDestGroupId.Mismatch');
		await d.fails(AI, { RegionId: REGION, SecurityGroupId: id,
		    Permissions: [{ IpProtocol: 'tcp', PortRange: '1/1',
			Ipv6SourceCidrIp: '2001:db8::/32' }] }, 400,
		    'InvalidParam.Ipv6SourceCidrIp');
		await d.fails(AE, { RegionId: REGION, SecurityGroupId: id,
		    Permissions: [{ IpProtocol: 'tcp', PortRange: '1/1',
			Ipv6DestCidrIp: '2001:db8::/32' }] }, 400,
		    'InvalidParam.Ipv6DestCidrIp');
	}
	/* NicType defaults to internet when reading a classic group */
	const nic = async (p) => (await perms(id, p)).map((x) =>
	    `${x.Direction}:${x.NicType}:${x.PortRange}`).sort();
	assert.deepEqual(await nic({}), ['egress:internet:53/53',
	    'ingress:internet:80/80']);
	assert.deepEqual(await nic({ NicType: 'internet',
	    Direction: 'ingress' }), ['ingress:internet:80/80']);
	assert.deepEqual(await nic({ NicType: 'intranet' }), [
	    'egress:intranet:-1/-1', 'ingress:intranet:-1/-1',
	    'ingress:intranet:22/22', 'ingress:intranet:23/23']);
	const g = (await perms(id, { NicType: 'intranet' }))
	    .find((x) => x.SourceGroupId);
	assert.equal(g.SourceGroupId, peer);
	assert.equal(g.SourceGroupName, 'classic-peer');
	assert.equal(g.SourceCidrIp, '');
	/* the /32 written both ways is one rule */
	await r(AI, { IpProtocol: 'tcp', PortRange: '22/22',
	    SourceCidrIp: '10.0.0.5/32', NicType: 'intranet' });
	assert.equal((await perms(id, { NicType: 'intranet' })).length, 4);
	/* an explicit internet is the default: the same rule */
	await r(AI, { IpProtocol: 'tcp', PortRange: '80/80',
	    SourceCidrIp: '0.0.0.0/0', NicType: 'internet' });
	assert.equal((await perms(id)).length, 2);
	await V3.call('RevokeSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: id, Permissions: [{ IpProtocol: 'all',
		SourceGroupId: peer }] });
	await del(peer);
	await del(id);
});

test('100 rules per group, inbound and outbound together', async () => {
	const id = await vpcGroup();
	const ing = (from, n) => Array.from({ length: n }, (_, i) => ({
	    IpProtocol: 'tcp', PortRange: `${from + i}/${from + i}`,
	    SourceCidrIp: '10.0.0.0/8' }));
	const eg = (from, n) => Array.from({ length: n }, (_, i) => ({
	    IpProtocol: 'udp', PortRange: `${from + i}/${from + i}`,
	    DestCidrIp: '10.0.0.0/8' }));
	const call = (a, p) => POP.call(a, { RegionId: REGION,
	    SecurityGroupId: id, Permissions: p });
	await call('AuthorizeSecurityGroup', ing(1000, 60));
	await call('AuthorizeSecurityGroupEgress', eg(2000, 39));
	/* 99: a request of two new rules does not fit, one does */
	for (const d of [V3, POP])
		await d.fails('AuthorizeSecurityGroup', { RegionId: REGION,
		    SecurityGroupId: id, Permissions: ing(3000, 2) }, 403,
		    'AuthorizationLimitExceed');
	await call('AuthorizeSecurityGroupEgress', eg(2039, 1));
	const g = await POP.call('DescribeSecurityGroups', { RegionId: REGION,
	    SecurityGroupId: id });
	assert.equal(g.SecurityGroups.SecurityGroup[0].RuleCount, 100);
	for (const d of [V3, POP]) {
		await d.fails('AuthorizeSecurityGroup', { RegionId: REGION,
		    SecurityGroupId: id, Permissions: ing(3000, 1) }, 403,
		    'AuthorizationLimitExceed');
		const e = await d.fails('AuthorizeSecurityGroupEgress', {
		    RegionId: REGION, SecurityGroupId: id,
		    Permissions: eg(3000, 1) }, 403, 'AuthorizationLimitExceed');
		assert.match(e.Message, /limit of authorization records/);
		await d.fails('AuthorizeSecurityGroup', { RegionId: REGION,
		    SecurityGroupId: id, IpProtocol: 'tcp', PortRange: '9/9',
		    SourceCidrIp: '1.1.1.1' }, 403, 'AuthorizationLimitExceed');
	}
	/* present rules are no-ops even at the limit */
	await call('AuthorizeSecurityGroup', ing(1000, 60));
	/* the big read: all 100, 500 a page by default; MaxResults pages */
	assert.equal((await perms(id)).length, 100);
	const seen = [];
	let tok;
	do {
		const b = await POP.call('DescribeSecurityGroupAttribute', {
		    RegionId: REGION, SecurityGroupId: id, MaxResults: 30,
		    ...(tok ? { NextToken: tok } : {}) });
		seen.push(...b.Permissions.Permission.map((p) =>
		    p.SecurityGroupRuleId));
		tok = b.NextToken;
	} while (tok);
	assert.equal(new Set(seen).size, 100);
	assert.equal((await perms(id, { Direction: 'egress' })).length, 40);
	/* one out, one in (other direction) */
	await call('RevokeSecurityGroup', ing(1000, 1));
	await call('AuthorizeSecurityGroupEgress', eg(3000, 1));
	await V3.fails('AuthorizeSecurityGroupEgress', { RegionId: REGION,
	    SecurityGroupId: id, Permissions: eg(3001, 1) }, 403,
	    'AuthorizationLimitExceed');
	assert.equal((await perms(id)).length, 100);
	await del(id);
});

for (const [eni, rules] of [['16', 30], ['10', 50]]) {
	test(`rules per group follow --sg-per-eni ${eni}: ${rules} (fresh server)`,
	    async () => {
		const s = await h.startServer(['--sg-per-eni', eni]);
		try {
			const d = h.ecsDrivers(s.port)['ecs20140526 tea V3'];
			const { SecurityGroupId: id } = await d.call(
			    'CreateSecurityGroup', { RegionId: REGION });
			const p = (from, n, f = 'SourceCidrIp') => Array.from({
			    length: n }, (_, i) => ({ IpProtocol: 'tcp',
			    PortRange: `${from + i}/${from + i}`, [f]: '1.1.1.1' }));
			await d.call('AuthorizeSecurityGroup', { RegionId: REGION,
			    SecurityGroupId: id, Permissions: p(1, rules - 1) });
			await d.call('AuthorizeSecurityGroupEgress', {
			    RegionId: REGION, SecurityGroupId: id,
			    Permissions: p(1, 1, 'DestCidrIp') });
			await d.fails('AuthorizeSecurityGroupEgress', {
			    RegionId: REGION, SecurityGroupId: id,
			    Permissions: p(2, 1, 'DestCidrIp') }, 403,
			    'AuthorizationLimitExceed');
			await d.fails('AuthorizeSecurityGroup', { RegionId: REGION,
			    SecurityGroupId: id, Permissions: p(500, 1) }, 403,
			    'AuthorizationLimitExceed');
		} finally {
			await h.stopServer(s);
		}
	});
}

test('RevokeSecurityGroup[Egress]: no match, rule ids, conflicts', async () => {
	const id = await vpcGroup();
	const other = await vpcGroup();
	await V3.call('AuthorizeSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: id, Permissions: [
		{ IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '10.0.0.1',
		    Description: 'keep me' },
		{ IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0' }] });
	await V3.call('AuthorizeSecurityGroupEgress', { RegionId: REGION,
	    SecurityGroupId: id, Permissions: [{ IpProtocol: 'all',
		DestCidrIp: '0.0.0.0/0' }] });
	await V3.call('AuthorizeSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: other, Permissions: [{ IpProtocol: 'icmp',
		SourceCidrIp: '0.0.0.0/0' }] });
	const rid = async (g, dir) => (await perms(g, { Direction: dir }))
	    .map((p) => p.SecurityGroupRuleId);
	const [ing1, ing2] = await rid(id, 'ingress');
	const [eg1] = await rid(id, 'egress');
	const [otherRule] = await rid(other, 'ingress');
	const RV = 'RevokeSecurityGroup';
	const RE = 'RevokeSecurityGroupEgress';
	const rq = (p) => ({ RegionId: REGION, SecurityGroupId: id, ...p });
	for (const d of [V3, POP]) {
		/* by content, nothing matches: success, nothing changes */
		for (const p of [
		    { IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '10.0.0.2' },
		    { IpProtocol: 'udp', PortRange: '22/22', SourceCidrIp: '10.0.0.1' },
		    { IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '10.0.0.1',
			Priority: '2' },
		    { IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '10.0.0.1',
			Policy: 'drop' }])
			await d.call(RV, rq({ Permissions: [p] }));
		await d.call(RE, rq({ Permissions: [{ IpProtocol: 'tcp',
		    PortRange: '1/1', DestCidrIp: '0.0.0.0/0' }] }));
		assert.equal((await perms(id)).length, 3);
		/* rule ids: unknown, repeated, other direction, other group */
		await d.fails(RV, rq({ SecurityGroupRuleId: ['sgr-doesnotexist00'] }),
		    400, 'InvalidParam.SecurityGroupRuleId');
		await d.fails(RV, rq({ SecurityGroupRuleId: [ing1, ing1] }), 400,
		    'InvalidParam.SecurityGroupRuleIdRepeated');
		await d.fails(RV, rq({ SecurityGroupRuleId: [eg1] }), 400,
		    'InvalidParam.SecurityGroupRuleId');
		await d.fails(RE, rq({ SecurityGroupRuleId: [ing1] }), 400,
		    'InvalidParam.SecurityGroupRuleId');
		await d.fails(RV, rq({ SecurityGroupRuleId: [otherRule] }), 400,
		    'InvalidParam.SecurityGroupRuleId');
		/* one bad id: none is revoked */
		await d.fails(RV, rq({ SecurityGroupRuleId: [ing1,
		    'sgr-doesnotexist00'] }), 400, 'InvalidParam.SecurityGroupRuleId');
		await d.fails(RV, rq({ SecurityGroupRuleId: [ing1],
		    Permissions: [{ IpProtocol: 'tcp', PortRange: '80/80',
			SourceCidrIp: '0.0.0.0/0' }] }), 400,
		    'InvalidParam.Permissions');
		await d.fails(RV, rq({ SecurityGroupRuleId: [ing1],
		    IpProtocol: 'tcp' }), 400, 'InvalidParam.Permissions');
		/* a malformed rule is still an error */
		await d.fails(RV, rq({ Permissions: [{ IpProtocol: 'tcp',
		    PortRange: '99999/1', SourceCidrIp: '1.1.1.1' }] }), 400,
		    'InvalidParam.PortRange');
		await d.fails(RV, { RegionId: REGION,
		    SecurityGroupId: 'sg-doesnotexist0000',
		    SecurityGroupRuleId: [ing1] }, 404,
		    'InvalidSecurityGroupId.NotFound');
	}
	assert.equal((await perms(id)).length, 3);
	/* the flat form revokes too, Description ignored */
	await POP.call(RV, rq({ IpProtocol: 'tcp', PortRange: '22/22',
	    SourceCidrIp: '10.0.0.1', Description: '' }));
	assert.deepEqual(await rid(id, 'ingress'), [ing2]);
	await V3.call(RV, rq({ SecurityGroupRuleId: [ing2] }));
	await V3.call(RE, rq({ SecurityGroupRuleId: [eg1] }));
	assert.deepEqual(await perms(id), []);
	/* a revoked id is unknown afterwards */
	await V3.fails(RE, rq({ SecurityGroupRuleId: [eg1] }), 400,
	    'InvalidParam.SecurityGroupRuleId');
	await del(id);
	await del(other);
});

test('ModifySecurityGroup[Egress]Rule by rule id and by content', async () => {
	const id = await vpcGroup({ SecurityGroupName: 'mod' });
	const b = await vpcGroup({ SecurityGroupName: 'mod-b' });
	const c = await vpcGroup({ SecurityGroupName: 'mod-c' });
	await V3.call('AuthorizeSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: id, Permissions: [
		{ IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '10.0.0.1',
		    Description: 'ssh' },
		{ IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0' },
		{ IpProtocol: 'all', SourceGroupId: b }] });
	await V3.call('AuthorizeSecurityGroupEgress', { RegionId: REGION,
	    SecurityGroupId: id, Permissions: [{ IpProtocol: 'udp',
		PortRange: '53/53', DestCidrIp: '10.0.0.53' }] });
	const list0 = await perms(id);
	const find = (l, port, dir = 'ingress') => l.find((p) =>
	    p.PortRange === port && p.Direction === dir);
	const ssh = find(list0, '22/22');
	const grp = list0.find((p) => p.SourceGroupId === b);
	const dns = find(list0, '53/53', 'egress');
	const MI = 'ModifySecurityGroupRule';
	const ME = 'ModifySecurityGroupEgressRule';
	const rq = (p) => ({ RegionId: REGION, SecurityGroupId: id, ...p });

	/* by id: the fields given replace the stored ones */
	await V3.call(MI, rq({ SecurityGroupRuleId: ssh.SecurityGroupRuleId,
	    PortRange: '2222/2222', Policy: 'drop', Priority: '9',
	    SourceCidrIp: '10.0.0.0/24', Description: 'moved' }));
	let now = find(await perms(id), '2222/2222');
	assert.deepEqual(essentials(now), { Direction: 'ingress',
	    IpProtocol: 'TCP', PortRange: '2222/2222', SourceCidrIp: '10.0.0.0/24',
	    Policy: 'Drop', Priority: 9, NicType: 'intranet',
	    Description: 'moved' });
	assert.equal(now.SecurityGroupRuleId, ssh.SecurityGroupRuleId);
	assert.equal(now.CreateTime, ssh.CreateTime);
	/* only what is given changes; idempotent */
	for (let k = 0; k < 2; k++)
		await POP.call(MI, rq({ SecurityGroupRuleId:
		    ssh.SecurityGroupRuleId, Description: 'only this' }));
	now = find(await perms(id), '2222/2222');
	assert.equal(now.Description, 'only this');
	assert.equal(now.Policy, 'Drop');
	assert.equal(now.Priority, 9);
	/* group peer moved: references follow */
	await V3.call(MI, rq({ SecurityGroupRuleId: grp.SecurityGroupRuleId,
	    SourceGroupId: c }));
	const refs = async (g) => (await POP.call(
	    'DescribeSecurityGroupReferences', { RegionId: REGION,
	    SecurityGroupId: [g] })).SecurityGroupReferences
	    .SecurityGroupReference[0].ReferencingSecurityGroups
	    .ReferencingSecurityGroup.map((x) => x.SecurityGroupId);
	assert.deepEqual(await refs(b), []);
	assert.deepEqual(await refs(c), [id]);
	now = (await perms(id)).find((p) => p.SourceGroupId);
	assert.equal(now.SourceGroupId, c);
	assert.equal(now.SourceGroupName, 'mod-c');
	/* egress by id */
	await D['ecs20140526 tea V1'].call(ME, rq({
	    SecurityGroupRuleId: dns.SecurityGroupRuleId,
	    DestCidrIp: '10.0.0.54', PortRange: '5353/5353' }));
	now = find(await perms(id), '5353/5353', 'egress');
	assert.equal(now.DestCidrIp, '10.0.0.54');
	assert.equal(now.SecurityGroupRuleId, dns.SecurityGroupRuleId);

	for (const d of [V3, POP]) {
		await d.fails(MI, rq({ SecurityGroupRuleId: 'sgr-doesnotexist00',
		    Description: 'x' }), 404, 'SecurityGroupRule.NotFound');
		await d.fails(MI, rq({ SecurityGroupRuleId: dns.SecurityGroupRuleId,
		    Description: 'x' }), 404, 'SecurityGroupRule.NotFound');
		await d.fails(ME, rq({ SecurityGroupRuleId: ssh.SecurityGroupRuleId,
		    Description: 'x' }), 404, 'SecurityGroupRule.NotFound');
		/* the kind of peer cannot change */
		await d.fails(MI, rq({ SecurityGroupRuleId: ssh.SecurityGroupRuleId,
		    SourceGroupId: b }), 400, 'InvalidParam.SourceIp');
		await d.fails(ME, rq({ SecurityGroupRuleId: dns.SecurityGroupRuleId,
		    Ipv6DestCidrIp: '2001:db8::1' }), 400, 'InvalidParam.DestIp');
		/* into another rule's identity */
		await d.fails(MI, rq({ SecurityGroupRuleId: ssh.SecurityGroupRuleId,
		    PortRange: '80/80', Policy: 'accept', Priority: '1',
		    SourceCidrIp: '0.0.0.0/0' }), 400,
		    'InvalidParam.DuplicatePermissions');
		/* new values are checked */
		await d.fails(MI, rq({ SecurityGroupRuleId: ssh.SecurityGroupRuleId,
		    Priority: '0' }), 400, 'InvalidPriority.ValueNotSupported');
		await d.fails(MI, rq({ SecurityGroupRuleId: ssh.SecurityGroupRuleId,
		    PortRange: '1/99999' }), 400, 'InvalidParam.PortRange');
		await d.fails(MI, rq({ SecurityGroupRuleId: grp.SecurityGroupRuleId,
		    SourceGroupId: id }), 403, 'InvalidParamter.Conflict');
		await d.fails(MI, rq({ SecurityGroupRuleId: grp.SecurityGroupRuleId,
		    SourceGroupId: 'sg-doesnotexist0000' }), 404,
		    'InvalidSourceGroupId.NotFound');
		/* by content: no such rule */
		await d.fails(MI, rq({ IpProtocol: 'tcp', PortRange: '81/81',
		    SourceCidrIp: '0.0.0.0/0', Description: 'x' }), 404,
		    'SecurityGroupRule.NotFound');
		await d.fails(ME, rq({ IpProtocol: 'tcp', PortRange: '80/80',
		    DestCidrIp: '0.0.0.0/0', Description: 'x' }), 404,
		    'SecurityGroupRule.NotFound');
	}
	/* by content: the matching rule gets the Description */
	await POP.call(MI, rq({ IpProtocol: 'tcp', PortRange: '80/80',
	    SourceCidrIp: '0.0.0.0/0', Policy: 'accept', Priority: '1',
	    Description: 'web' }));
	assert.equal(find(await perms(id), '80/80').Description, 'web');
	const after = await perms(id);
	assert.equal(after.length, 4, 'modify never adds or removes rules');
	await V3.call('RevokeSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: id, SecurityGroupRuleId: after.filter((p) =>
		p.SourceGroupId).map((p) => p.SecurityGroupRuleId) });
	for (const g of [id, b, c])
		await del(g);
});

test('a new --sg-per-eni applies to groups made before it (restart)',
    async () => {
	let s = await h.startServer();
	try {
		const d = () => h.ecsDrivers(s.port)['ecs20140526 tea V3'];
		const add = (sg, from, n) => d().call('AuthorizeSecurityGroup', {
		    RegionId: REGION, SecurityGroupId: sg, Permissions: Array.from(
			{ length: n }, (_, i) => ({ IpProtocol: 'tcp',
			    PortRange: `${from + i}/${from + i}`,
			    SourceCidrIp: '10.0.0.0/8' })) });
		const count = async (sg) => (await h.pop(s.port).get(
		    'DescribeSecurityGroupAttribute', { RegionId: REGION,
		    SecurityGroupId: sg })).Permissions.Permission.length;
		const a = await mkGroup({}, d());
		const b = await mkGroup({}, d());
		await add(a, 1, 60);
		await add(b, 1, 40);
		/* 10 groups per ENI: 50 rules per group, old groups included */
		s = await h.restartServer(s, ['--sg-per-eni', '10']);
		assert.equal(await count(a), 60, 'rules over the new limit stay');
		await d().fails('AuthorizeSecurityGroup', { RegionId: REGION,
		    SecurityGroupId: a, Permissions: [{ IpProtocol: 'udp',
			PortRange: '1/1', SourceCidrIp: '1.1.1.1' }] }, 403,
		    'AuthorizationLimitExceed');
		await add(b, 100, 10);
		await d().fails('AuthorizeSecurityGroupEgress', {
		    RegionId: REGION, SecurityGroupId: b, Permissions: [{
			IpProtocol: 'all', DestCidrIp: '1.1.1.1' }] }, 403,
		    'AuthorizationLimitExceed');
		const c = await mkGroup({}, d());
		await add(c, 1, 50);
		await d().fails('AuthorizeSecurityGroup', { RegionId: REGION,
		    SecurityGroupId: c, Permissions: [{ IpProtocol: 'udp',
			PortRange: '1/1', SourceCidrIp: '1.1.1.1' }] }, 403,
		    'AuthorizationLimitExceed');
		/* back to 5: 100 again, for all */
		s = await h.restartServer(s, []);
		await add(a, 100, 40);
		await add(c, 100, 50);
		assert.equal(await count(a), 100);
		assert.equal(await count(c), 100);
	} finally {
		await h.stopServer(s);
	}
});

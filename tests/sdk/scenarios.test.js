'use strict';
/*
 * The five scenarios of the seed document (seed-spec.md §1.8) as API
 * sequences through the official clients, each rule read back exactly
 * (DescribeSecurityGroupAttribute, pop-core: the wire JSON):
 *   1. intranet traffic between groups: same account (VPC, group reference
 *      at priority 1) and another account (classic and VPC, group
 *      reference with the other account's id);
 *   2. SSH only from one IP;
 *   3. outbound only to given IPs (drop all at 2, accept one at 1);
 *   4. remote login from the internet and from the intranet (a peer's
 *      private IP, a peer group of another account);
 *   5. HTTP/HTTPS/custom ports from everywhere.
 *
 * The second account is made as an operator makes it: `sekishod account
 * create` on the server's data directory (harness createAccount).
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const REGION = 'cn-shanghai';
const TYPE = 'ecs.g6.large';

const srv = h.useServer();
let A = null;		/* the root account's id */
const B = {};		/* { account, akid, secret } of the second one */

/* Once, at the start of the first test (the server is up by then). */
function accounts() {
	if (A === null) {
		A = h.rootAccount(srv.srv);
		Object.assign(B, h.createAccount(srv.srv, 'partner'));
	}
}

const DA = h.ecsDrivers(srv);
const DB = h.ecsDrivers(srv, B);	/* B is filled in by accounts() */
const PA = DA['pop-core GET'];
const PB = DB['pop-core GET'];

/* The set fields of a Permission that say what it does. */
function what(p) {
	const o = {};
	for (const k of ['Direction', 'IpProtocol', 'PortRange', 'SourceCidrIp',
	    'DestCidrIp', 'SourceGroupId', 'DestGroupId',
	    'SourceGroupOwnerAccount', 'DestGroupOwnerAccount', 'Policy',
	    'Priority', 'NicType', 'Description'])
		if (p[k] !== '')
			o[k] = p[k];
	return o;
}

function sorted(list) {
	return [...list].sort((x, y) => JSON.stringify(x)
	    .localeCompare(JSON.stringify(y)));
}

/* Every rule of the group, read back through pop-core (wire JSON). */
async function rules(p, id, q = {}) {
	const b = await p.call('DescribeSecurityGroupAttribute', {
	    RegionId: REGION, SecurityGroupId: id, ...q });
	for (const r of b.Permissions.Permission)
		assert.equal(typeof r.Priority, 'number');
	return sorted(b.Permissions.Permission.map(what));
}

async function vpcWithSwitch(d, cidr, o = {}) {
	return h.makeVpc(srv.port, { region: REGION, cidr,
	    vswCidr: cidr.replace(/\.0\.0\/16$/, '.1.0/24') }, o);
}

async function group(d, p) {
	return (await d.call('CreateSecurityGroup', { RegionId: REGION, ...p }))
	    .SecurityGroupId;
}

async function runOne(d, p) {
	return (await d.call('RunInstances', { RegionId: REGION,
	    InstanceType: TYPE, ...p })).InstanceIdSets.InstanceIdSet[0];
}

async function privateIp(p, id) {
	const b = await p.call('DescribeInstances', { RegionId: REGION,
	    InstanceIds: JSON.stringify([id]) });
	const i = b.Instances.Instance[0];
	return i.VpcAttributes.PrivateIpAddress.IpAddress[0] ||
	    i.InnerIpAddress.IpAddress[0];
}

test('the second account exists and sees only its own resources', async () => {
	accounts();
	assert.match(A, /^1\d{15}$/);
	assert.notEqual(A, B.account);
	const g = await group(DB['ecs20140526 tea V3'], {
	    SecurityGroupName: 'account-b' });
	const own = await PB.call('DescribeSecurityGroups', { RegionId: REGION });
	assert.deepEqual(own.SecurityGroups.SecurityGroup.map((x) =>
	    x.SecurityGroupId), [g]);
	const other = await PA.call('DescribeSecurityGroups', {
	    RegionId: REGION, SecurityGroupId: g });
	assert.deepEqual(other.SecurityGroups.SecurityGroup, []);
	await DA['ecs20140526 tea V3'].fails('DescribeSecurityGroupAttribute', {
	    RegionId: REGION, SecurityGroupId: g }, 404,
	    'InvalidSecurityGroupId.NotFound');
	await DA['ecs20140526 tea V3'].fails('DeleteSecurityGroup', {
	    RegionId: REGION, SecurityGroupId: g }, 404,
	    'InvalidSecurityGroupId.NotFound');
	await DB['ecs20140526 tea V3'].call('DeleteSecurityGroup', {
	    RegionId: REGION, SecurityGroupId: g });
});

test('scenario 1a: intranet between two groups of one account (VPC, group reference, priority 1)',
    async () => {
	accounts();
	const d = DA['ecs20140526 tea V3'];
	const n = await vpcWithSwitch(d, '10.31.0.0/16');
	const app = await group(d, { VpcId: n.vpcId, SecurityGroupName: 'app' });
	const db = await group(d, { VpcId: n.vpcId, SecurityGroupName: 'db' });
	const ia = await runOne(d, { VSwitchId: n.vswId, SecurityGroupId: app });
	const ib = await runOne(d, { VSwitchId: n.vswId, SecurityGroupId: db });
	/* each group admits the other, all protocols, at priority 1 */
	await d.call('AuthorizeSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: db, Permissions: [{ IpProtocol: 'all',
		PortRange: '-1/-1', SourceGroupId: app, Policy: 'accept',
		Priority: '1', Description: 'app tier' }] });
	await DA['pop-core POST'].call('AuthorizeSecurityGroup', {
	    RegionId: REGION, SecurityGroupId: app, Permissions: [{
		IpProtocol: 'all', SourceGroupId: db, Priority: '1' }] });
	assert.deepEqual(await rules(PA, db), [{ Direction: 'ingress',
	    IpProtocol: 'ALL', PortRange: '-1/-1', SourceGroupId: app,
	    Policy: 'Accept', Priority: 1, NicType: 'intranet',
	    Description: 'app tier' }]);
	assert.deepEqual(await rules(PA, app), [{ Direction: 'ingress',
	    IpProtocol: 'ALL', PortRange: '-1/-1', SourceGroupId: db,
	    Policy: 'Accept', Priority: 1, NicType: 'intranet' }]);
	const full = (await PA.call('DescribeSecurityGroupAttribute', {
	    RegionId: REGION, SecurityGroupId: db })).Permissions.Permission[0];
	assert.equal(full.SourceGroupName, 'app');
	assert.equal(full.SourceGroupOwnerAccount, '');
	const refs = await PA.call('DescribeSecurityGroupReferences', {
	    RegionId: REGION, SecurityGroupId: [app, db] });
	assert.deepEqual(refs.SecurityGroupReferences.SecurityGroupReference
	    .map((r) => [r.SecurityGroupId, r.ReferencingSecurityGroups
		.ReferencingSecurityGroup]), [
	    [app, [{ AliUid: A, SecurityGroupId: db }]],
	    [db, [{ AliUid: A, SecurityGroupId: app }]]]);
	/* the instances sit in their groups */
	const list = await PA.call('DescribeInstances', { RegionId: REGION,
	    InstanceIds: JSON.stringify([ia, ib]) });
	assert.deepEqual(list.Instances.Instance.map((i) =>
	    i.SecurityGroupIds.SecurityGroupId).sort(), [[app], [db]].sort());
	/* within one group members talk by default (basic: Accept) */
	const attr = await PA.call('DescribeSecurityGroupAttribute', {
	    RegionId: REGION, SecurityGroupId: app });
	assert.equal(attr.InnerAccessPolicy, 'Accept');
});

test('scenario 1b: intranet across accounts (classic: group reference with the other account)',
    async () => {
	accounts();
	const a = DA['ecs20140526 tea V3'];
	const b = DB['ecs20140526 tea V1'];
	const gb = await group(b, { SecurityGroupName: 'partner' });
	const ib = await runOne(b, { SecurityGroupId: gb });
	const ga = await group(a, { SecurityGroupName: 'mine' });
	const ia = await runOne(a, { SecurityGroupId: ga });
	assert.ok(await privateIp(PB, ib));
	/* without the owner, B's group is not A's to name */
	await a.fails('AuthorizeSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: ga, Permissions: [{ IpProtocol: 'tcp',
		PortRange: '1/65535', SourceGroupId: gb }] }, 404,
	    'InvalidSourceGroupId.NotFound');
	await a.call('AuthorizeSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: ga, Permissions: [{ IpProtocol: 'tcp',
		PortRange: '1/65535', SourceGroupId: gb,
		SourceGroupOwnerAccount: B.account, NicType: 'intranet',
		Priority: '1' }] });
	/* the same peer by owner id (a number in the Tea model) */
	await a.call('AuthorizeSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: ga, Permissions: [{ IpProtocol: 'udp',
		PortRange: '1/65535', SourceGroupId: gb,
		SourceGroupOwnerId: Number(B.account), Priority: '1' }] });
	/* and B lets A's group reach it back */
	await DB['pop-core POST'].call('AuthorizeSecurityGroup', {
	    RegionId: REGION, SecurityGroupId: gb, IpProtocol: 'icmp',
	    SourceGroupId: ga, SourceGroupOwnerAccount: A });
	assert.deepEqual(await rules(PA, ga, { NicType: 'intranet' }), sorted([
	    { Direction: 'ingress', IpProtocol: 'TCP', PortRange: '1/65535',
		SourceGroupId: gb, SourceGroupOwnerAccount: B.account,
		Policy: 'Accept', Priority: 1, NicType: 'intranet' },
	    { Direction: 'ingress', IpProtocol: 'UDP', PortRange: '1/65535',
		SourceGroupId: gb, SourceGroupOwnerAccount: B.account,
		Policy: 'Accept', Priority: 1, NicType: 'intranet' }]));
	assert.deepEqual(await rules(PA, ga), [], 'nothing on the internet NIC');
	assert.deepEqual(await rules(PB, gb, { NicType: 'intranet' }), [{
	    Direction: 'ingress', IpProtocol: 'ICMP', PortRange: '-1/-1',
	    SourceGroupId: ga, SourceGroupOwnerAccount: A, Policy: 'Accept',
	    Priority: 1, NicType: 'intranet' }]);
	/* the owner must match the group: B's id with A's group is not found */
	await a.fails('AuthorizeSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: ga, Permissions: [{ IpProtocol: 'tcp',
		PortRange: '1/65535', SourceGroupId: gb,
		SourceGroupOwnerAccount: A }] }, 404,
	    'InvalidSourceGroupId.NotFound');
	/* references are visible to the referenced group's owner */
	const refs = await PB.call('DescribeSecurityGroupReferences', {
	    RegionId: REGION, SecurityGroupId: [gb] });
	assert.deepEqual(refs.SecurityGroupReferences.SecurityGroupReference[0]
	    .ReferencingSecurityGroups.ReferencingSecurityGroup,
	    [{ AliUid: A, SecurityGroupId: ga }]);
	/* B cannot delete a group A's rules name (nor one with members) */
	await DB['ecs20140526 tea V3'].call('DeleteInstance', { InstanceId: ib,
	    Force: true });
	const e = await DB['ecs20140526 tea V3'].fails('DeleteSecurityGroup', {
	    RegionId: REGION, SecurityGroupId: gb }, 403, 'DependencyViolation');
	assert.match(e.Message, /authorized in another/);
	/* A revokes with the owner given the other way round: both go */
	await a.call('RevokeSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: ga, Permissions: [
		{ IpProtocol: 'tcp', PortRange: '1/65535', SourceGroupId: gb,
		    SourceGroupOwnerId: Number(B.account) },
		{ IpProtocol: 'udp', PortRange: '1/65535', SourceGroupId: gb,
		    SourceGroupOwnerAccount: B.account }] });
	assert.deepEqual(await rules(PA, ga, { NicType: 'intranet' }), []);
	await DB['ecs20140526 tea V3'].call('DeleteSecurityGroup', {
	    RegionId: REGION, SecurityGroupId: gb });
	/* A's group is still named by B's (now deleted) group: free again */
	await a.call('DeleteInstance', { InstanceId: ia, Force: true });
	await a.call('DeleteSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: ga });
});

test('scenario 1c: across accounts in VPCs (other VPC allowed across accounts)',
    async () => {
	accounts();
	const a = DA['pop-core GET'];
	const b = DB['ecs20140526 tea V3'];
	const na = await vpcWithSwitch(a, '10.32.0.0/16');
	const nb = await vpcWithSwitch(b, '10.33.0.0/16', { akid: B.akid,
	    secret: B.secret });
	const ga = await group(a, { VpcId: na.vpcId });
	const gb = await group(b, { VpcId: nb.vpcId });
	await a.call('AuthorizeSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: ga, Permissions: [{ IpProtocol: 'tcp',
		PortRange: '5432/5432', SourceGroupId: gb,
		SourceGroupOwnerId: B.account, Priority: '1' }] });
	assert.deepEqual(await rules(PA, ga), [{ Direction: 'ingress',
	    IpProtocol: 'TCP', PortRange: '5432/5432', SourceGroupId: gb,
	    SourceGroupOwnerAccount: B.account, Policy: 'Accept', Priority: 1,
	    NicType: 'intranet' }]);
	/* a classic group of B is still the wrong network type */
	const gc = await group(b, {});
	await a.fails('AuthorizeSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: ga, Permissions: [{ IpProtocol: 'tcp',
		PortRange: '1/1', SourceGroupId: gc,
		SourceGroupOwnerAccount: B.account }] }, 403,
	    'InvalidNetworkType.Mismatch');
	/* B's VPC is not A's: A cannot place groups or instances there */
	await a.fails('CreateSecurityGroup', { RegionId: REGION,
	    VpcId: nb.vpcId }, 404, 'InvalidVpcId.NotFound');
	await a.fails('RunInstances', { RegionId: REGION, InstanceType: TYPE,
	    VSwitchId: nb.vswId }, 404, 'InvalidVSwitchId.NotFound');
	await a.fails('JoinSecurityGroup', { InstanceId: await runOne(b, {
	    VSwitchId: nb.vswId, SecurityGroupId: gb }), SecurityGroupId: ga },
	    404, 'InvalidInstanceId.NotFound');
});

test('scenario 2: SSH only from one IP', async () => {
	accounts();
	const d = DA['ecs20140526 tea V1'];
	const n = await vpcWithSwitch(d, '10.34.0.0/16');
	const g = await group(d, { VpcId: n.vpcId, SecurityGroupName: 'ssh-one' });
	await runOne(d, { VSwitchId: n.vswId, SecurityGroupId: g });
	await d.call('AuthorizeSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: g, Permissions: [{ IpProtocol: 'tcp',
		PortRange: '22/22', SourceCidrIp: '203.0.113.10', Priority: '1',
		Description: 'admin workstation' }] });
	assert.deepEqual(await rules(PA, g), [{ Direction: 'ingress',
	    IpProtocol: 'TCP', PortRange: '22/22', SourceCidrIp: '203.0.113.10',
	    Policy: 'Accept', Priority: 1, NicType: 'intranet',
	    Description: 'admin workstation' }]);
	/* outbound: nothing configured (the default allows) */
	assert.deepEqual(await rules(PA, g, { Direction: 'egress' }), []);
});

test('scenario 3: outbound only to one IP (drop all at 2, accept one at 1)',
    async () => {
	accounts();
	const d = DA['ecs20140526@4 (openapi-client)'];
	const n = await vpcWithSwitch(d, '10.35.0.0/16');
	const g = await group(d, { VpcId: n.vpcId, SecurityGroupName: 'egress' });
	await runOne(d, { VSwitchId: n.vswId, SecurityGroupId: g });
	await d.call('AuthorizeSecurityGroupEgress', { RegionId: REGION,
	    SecurityGroupId: g, Permissions: [{ IpProtocol: 'all',
		PortRange: '-1/-1', DestCidrIp: '0.0.0.0/0', Policy: 'drop',
		Priority: '2' }] });
	await d.call('AuthorizeSecurityGroupEgress', { RegionId: REGION,
	    SecurityGroupId: g, Permissions: [{ IpProtocol: 'all',
		PortRange: '-1/-1', DestCidrIp: '198.51.100.20', Policy: 'accept',
		Priority: '1' }] });
	assert.deepEqual(await rules(PA, g), sorted([
	    { Direction: 'egress', IpProtocol: 'ALL', PortRange: '-1/-1',
		DestCidrIp: '0.0.0.0/0', Policy: 'Drop', Priority: 2,
		NicType: 'intranet' },
	    { Direction: 'egress', IpProtocol: 'ALL', PortRange: '-1/-1',
		DestCidrIp: '198.51.100.20', Policy: 'Accept', Priority: 1,
		NicType: 'intranet' }]));
	assert.deepEqual(await rules(PA, g, { Direction: 'ingress' }), []);
	/* a second allowed destination, then back to one */
	await d.call('AuthorizeSecurityGroupEgress', { RegionId: REGION,
	    SecurityGroupId: g, Permissions: [{ IpProtocol: 'all',
		DestCidrIp: '198.51.100.21', Priority: '1' }] });
	assert.equal((await rules(PA, g)).length, 3);
	await d.call('RevokeSecurityGroupEgress', { RegionId: REGION,
	    SecurityGroupId: g, Permissions: [{ IpProtocol: 'all',
		DestCidrIp: '198.51.100.21', Priority: '1' }] });
	assert.deepEqual((await rules(PA, g)).map((r) => r.DestCidrIp).sort(),
	    ['0.0.0.0/0', '198.51.100.20']);
});

test('scenario 4: remote login from the internet and from the intranet',
    async () => {
	accounts();
	const d = DA['pop-core POST'];
	const n = await vpcWithSwitch(d, '10.36.0.0/16');
	const g = await group(d, { VpcId: n.vpcId, SecurityGroupName: 'login' });
	const jump = await group(d, { VpcId: n.vpcId });
	await runOne(d, { VSwitchId: n.vswId, SecurityGroupId: g });
	const peer = await runOne(d, { VSwitchId: n.vswId,
	    SecurityGroupId: jump });
	const peerIp = await privateIp(PA, peer);
	/* another account's group, in a VPC of its own */
	const nb = await vpcWithSwitch(null, '10.37.0.0/16', { akid: B.akid,
	    secret: B.secret });
	const gb = await group(PB, { VpcId: nb.vpcId });
	await d.call('AuthorizeSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: g, Permissions: [
		{ IpProtocol: 'tcp', PortRange: '3389/3389',
		    SourceCidrIp: '0.0.0.0/0', Priority: '1' },
		{ IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '0.0.0.0/0',
		    Priority: '1' },
		{ IpProtocol: 'tcp', PortRange: '2222/2222',
		    SourceCidrIp: '0.0.0.0/0', Priority: '1' },
		{ IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: peerIp,
		    Priority: '1' },
		{ IpProtocol: 'tcp', PortRange: '3389/3389', SourceGroupId: gb,
		    SourceGroupOwnerAccount: B.account, Priority: '1' }] });
	const base = { Direction: 'ingress', IpProtocol: 'TCP',
	    Policy: 'Accept', Priority: 1, NicType: 'intranet' };
	assert.deepEqual(await rules(PA, g), sorted([
	    { ...base, PortRange: '3389/3389', SourceCidrIp: '0.0.0.0/0' },
	    { ...base, PortRange: '22/22', SourceCidrIp: '0.0.0.0/0' },
	    { ...base, PortRange: '2222/2222', SourceCidrIp: '0.0.0.0/0' },
	    { ...base, PortRange: '22/22', SourceCidrIp: peerIp },
	    { ...base, PortRange: '3389/3389', SourceGroupId: gb,
		SourceGroupOwnerAccount: B.account }]));
	assert.ok(!peerIp.includes('/'), 'a bare IP stays bare');
});

test('scenario 5: HTTP, HTTPS and a custom port from everywhere', async () => {
	accounts();
	const d = DA['ecs20140526 tea V3'];
	const n = await vpcWithSwitch(d, '10.38.0.0/16');
	const g = await group(d, { VpcId: n.vpcId, SecurityGroupName: 'web' });
	await runOne(d, { VSwitchId: n.vswId, SecurityGroupId: g });
	for (const port of ['80/80', '443/443', '8080/8080'])
		await d.call('AuthorizeSecurityGroup', { RegionId: REGION,
		    SecurityGroupId: g, IpProtocol: 'tcp', PortRange: port,
		    SourceCidrIp: '0.0.0.0/0' });
	const base = { Direction: 'ingress', IpProtocol: 'TCP',
	    SourceCidrIp: '0.0.0.0/0', Policy: 'Accept', Priority: 1,
	    NicType: 'intranet' };
	assert.deepEqual(await rules(PA, g), sorted(['80/80', '443/443',
	    '8080/8080'].map((p) => ({ ...base, PortRange: p }))));
	const list = await PA.call('DescribeSecurityGroups', { RegionId: REGION,
	    SecurityGroupId: g });
	assert.equal(list.SecurityGroups.SecurityGroup[0].RuleCount, 3);
});

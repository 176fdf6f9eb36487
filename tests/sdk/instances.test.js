'use strict';
/*
 * Instances, ENIs and group memberships (ECS 2014-05-26, ecs-api.md
 * §4.14-4.15, §5, §6; seed §1.2, §1.6, §1.7, §6) through the official
 * clients: RunInstances, CreateInstance, DescribeInstances, Start/Stop/
 * Reboot/DeleteInstance, the six ENI actions, Join/LeaveSecurityGroup; the
 * default group with its five rules at priority 110; the last-group rule;
 * DeleteSecurityGroup with members; the membership quotas (groups per ENI,
 * rules per ENI, members per group) on servers started with small quota
 * flags; basic and enterprise groups never together on one ENI/instance.
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const srv = h.useServer(['--vpc-quota', '50']);
const D = h.ecsDrivers(srv);
const V3 = D['ecs20140526 tea V3'];
const POP = D['pop-core GET'];
const REGION = 'cn-hangzhou';
const TYPE = 'ecs.g6.large';
const MINUTE = /^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/;

let cidrNext = 0;

/*
 * A fresh VPC with one vSwitch (10.<n>.0.0/16, 10.<n>.1.0/24): { vpcId,
 * vswId, zoneId, vswCidr, prefix "10.<n>.1.", vswIp (an address of it) }.
 */
async function net(port = srv.port, zoneIndex = 0) {
	const n = 100 + cidrNext++;
	const r = await h.makeVpc(port, { region: REGION, cidr: `10.${n}.0.0/16`,
	    vswCidr: `10.${n}.1.0/24`, zoneIndex });
	return { ...r, vswCidr: `10.${n}.1.0/24`, prefix: `10.${n}.1.`,
	    vswIp: `10.${n}.1.10` };
}

async function group(d, p) {
	return (await d.call('CreateSecurityGroup', { RegionId: REGION, ...p }))
	    .SecurityGroupId;
}

async function run(d, p) {
	return (await d.call('RunInstances', { RegionId: REGION,
	    InstanceType: TYPE, ImageId: 'ubuntu_22_04_x64', ...p }))
	    .InstanceIdSets.InstanceIdSet;
}

async function instances(ids, d = POP) {
	const b = await d.call('DescribeInstances', { RegionId: REGION,
	    InstanceIds: JSON.stringify(ids), PageSize: 100 });
	return b.Instances.Instance;
}

async function inst(id) {
	const [i] = await instances([id]);
	return i;
}

function groupsOf(i) {
	return i.SecurityGroupIds.SecurityGroupId;
}

async function eni(id, d = POP) {
	const b = await d.call('DescribeNetworkInterfaces', { RegionId: REGION,
	    NetworkInterfaceId: [id] });
	return b.NetworkInterfaceSets.NetworkInterfaceSet[0];
}

async function memberCount(port, sg) {
	const b = await h.pop(port).get('DescribeSecurityGroups', {
	    RegionId: REGION, SecurityGroupId: sg, IsQueryEcsCount: true });
	return b.SecurityGroups.SecurityGroup[0].EcsCount;
}

for (const [name, d] of Object.entries(D)) {
	test(`instance lifecycle via ${name}`, async () => {
		const n = await net();
		const sg = await group(d, { VpcId: n.vpcId });
		const ids = await run(d, { VSwitchId: n.vswId,
		    SecurityGroupId: sg, Amount: 2, InstanceName: 'web[1,3]',
		    HostName: 'web-host', Description: 'two web servers' });
		assert.equal(ids.length, 2);
		for (const id of ids)
			assert.match(id, /^i-[0-9a-z]+$/);
		const list = await instances(ids, d);
		assert.equal(list.length, 2);
		assert.deepEqual(list.map((i) => i.InstanceName).sort(),
		    ['web001', 'web002']);
		for (const i of list) {
			assert.equal(i.Status, 'Running');
			assert.equal(i.RegionId, REGION);
			assert.equal(i.ZoneId, n.zoneId);
			assert.equal(i.InstanceType, TYPE);
			assert.equal(i.InstanceNetworkType, 'vpc');
			assert.equal(i.HostName, 'web-host');
			assert.equal(i.Description, 'two web servers');
			assert.equal(i.VpcAttributes.VpcId, n.vpcId);
			assert.equal(i.VpcAttributes.VSwitchId, n.vswId);
			assert.equal(i.VpcAttributes.PrivateIpAddress.IpAddress.length,
			    1);
			assert.ok(i.VpcAttributes.PrivateIpAddress.IpAddress[0]
			    .startsWith(n.prefix), 'address of the vSwitch');
			assert.deepEqual(groupsOf(i), [sg]);
			const nic = i.NetworkInterfaces.NetworkInterface;
			assert.equal(nic.length, 1);
			assert.equal(nic[0].Type, 'Primary');
			assert.equal(nic[0].PrimaryIpAddress,
			    i.VpcAttributes.PrivateIpAddress.IpAddress[0]);
			assert.match(String(i.CreationTime), MINUTE);
		}
		const [a, b] = ids;
		const power = (act, id = a) => d.call(act, { InstanceId: id });
		const status = async (id = a) => (await inst(id)).Status;
		await power('StopInstance');
		assert.equal(await status(), 'Stopped');
		await d.fails('StopInstance', { InstanceId: a }, 403,
		    'IncorrectInstanceStatus');
		await d.fails('RebootInstance', { InstanceId: a }, 403,
		    'IncorrectInstanceStatus');
		await power('StartInstance');
		assert.equal(await status(), 'Running');
		await d.fails('StartInstance', { InstanceId: a }, 403,
		    'IncorrectInstanceStatus');
		await power('RebootInstance');
		assert.equal(await status(), 'Running');
		/* a running instance goes only with Force */
		await d.fails('DeleteInstance', { InstanceId: a }, 403,
		    'IncorrectInstanceStatus');
		await d.call('DeleteInstance', { InstanceId: a, Force: true });
		await power('StopInstance', b);
		await d.call('DeleteInstance', { InstanceId: b });
		assert.deepEqual(await instances(ids, d), []);
		for (const act of ['StartInstance', 'StopInstance',
		    'RebootInstance', 'DeleteInstance'])
			await d.fails(act, { InstanceId: a }, 404,
			    'InvalidInstanceId.NotFound');
		/* their primary ENIs went with them */
		const e = await POP.call('DescribeNetworkInterfaces', {
		    RegionId: REGION, VpcId: n.vpcId });
		assert.deepEqual(e.NetworkInterfaceSets.NetworkInterfaceSet, []);

		/* CreateInstance: one instance, Stopped */
		const c = await d.call('CreateInstance', { RegionId: REGION,
		    InstanceType: TYPE, VSwitchId: n.vswId, SecurityGroupId: sg,
		    DeletionProtection: true, PrivateIpAddress: n.vswIp });
		assert.match(c.InstanceId, /^i-/);
		const ci = await inst(c.InstanceId);
		assert.equal(ci.Status, 'Stopped');
		assert.equal(ci.InstanceName, c.InstanceId);
		assert.equal(ci.DeletionProtection, true);
		await d.fails('DeleteInstance', { InstanceId: c.InstanceId }, 403,
		    'InvalidOperation.DeletionProtection');
		await d.fails('DeleteInstance', { InstanceId: c.InstanceId,
		    Force: true }, 403, 'InvalidOperation.DeletionProtection');
		await d.call('StartInstance', { InstanceId: c.InstanceId });
		assert.equal((await inst(c.InstanceId)).Status, 'Running');
		await d.fails('DeleteSecurityGroup', { RegionId: REGION,
		    SecurityGroupId: sg }, 403, 'DependencyViolation');
	});
}

test('the default security group: five rules at priority 110', async () => {
	const n = await net();
	const [a] = await run(V3, { VSwitchId: n.vswId });
	const [dflt] = groupsOf(await inst(a));
	assert.match(dflt, /^sg-/);
	const g = await POP.call('DescribeSecurityGroups', { RegionId: REGION,
	    VpcId: n.vpcId });
	assert.equal(g.TotalCount, 1);
	const sg = g.SecurityGroups.SecurityGroup[0];
	assert.equal(sg.SecurityGroupId, dflt);
	assert.equal(sg.SecurityGroupType, 'normal');
	assert.equal(sg.RuleCount, 5);
	const rules = async (id, p = {}) => (await POP.call(
	    'DescribeSecurityGroupAttribute', { RegionId: REGION,
	    SecurityGroupId: id, ...p })).Permissions.Permission;
	const shape = (list) => list.map((p) => [p.Direction, p.IpProtocol,
	    p.PortRange, p.SourceCidrIp, p.Policy, p.Priority, p.NicType]
	    .join(' ')).sort();
	const want = (nic) => ['ICMP -1/-1', 'TCP 22/22', 'TCP 3389/3389',
	    'TCP 80/80', 'TCP 443/443'].map((x) =>
	    `ingress ${x} 0.0.0.0/0 Accept 110 ${nic}`).sort();
	assert.deepEqual(shape(await rules(dflt)), want('intranet'));
	assert.deepEqual(await rules(dflt, { Direction: 'egress' }), []);
	/* the same default group for the next instance of the VPC */
	const [b] = await run(POP, { VSwitchId: n.vswId });
	assert.deepEqual(groupsOf(await inst(b)), [dflt]);
	/* another VPC: its own default group */
	const m = await net();
	const [c] = await run(POP, { VSwitchId: m.vswId });
	const [dflt2] = groupsOf(await inst(c));
	assert.notEqual(dflt2, dflt);
	/* classic network: the rules face the internet NIC */
	const [k] = await run(V3, {});
	const ki = await inst(k);
	assert.equal(ki.InstanceNetworkType, 'classic');
	assert.equal(ki.InnerIpAddress.IpAddress.length, 1);
	assert.equal(ki.PublicIpAddress.IpAddress.length, 1);
	const [cdef] = groupsOf(ki);
	assert.deepEqual(shape(await rules(cdef)), want('internet'));
	assert.deepEqual(await rules(cdef, { NicType: 'intranet' }), []);

	/* user rules 1..100 cannot take 110; system rules can be found */
	await V3.fails('AuthorizeSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: dflt, Permissions: [{ IpProtocol: 'tcp',
		PortRange: '8080/8080', SourceCidrIp: '0.0.0.0/0',
		Priority: '110' }] }, 400, 'InvalidPriority.ValueNotSupported');
	const ssh = (await rules(dflt)).find((p) => p.PortRange === '22/22');
	await V3.call('ModifySecurityGroupRule', { RegionId: REGION,
	    SecurityGroupId: dflt, SecurityGroupRuleId: ssh.SecurityGroupRuleId,
	    Description: 'kept at 110' });
	const ssh2 = (await rules(dflt)).find((p) => p.PortRange === '22/22');
	assert.equal(ssh2.Priority, 110);
	assert.equal(ssh2.Description, 'kept at 110');
	await POP.call('RevokeSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: dflt, Permissions: [{ IpProtocol: 'tcp',
		PortRange: '3389/3389', SourceCidrIp: '0.0.0.0/0',
		Priority: '110' }] });
	assert.equal((await rules(dflt)).length, 4);
	/* the default group has members: it stays */
	await V3.fails('DeleteSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: dflt }, 403, 'DependencyViolation');
	for (const id of [a, b, c, k])
		await V3.call('DeleteInstance', { InstanceId: id, Force: true });
	await V3.call('DeleteSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: dflt });
});

test('the default group counts against the group quota (fresh server, --sg-quota 1)',
    async () => {
	const s = await h.startServer(['--sg-quota', '1']);
	try {
		const d = h.ecsDrivers(s.port)['ecs20140526 tea V3'];
		const n = await net(s.port);
		await group(d, { VpcId: n.vpcId });
		await d.fails('RunInstances', { RegionId: REGION,
		    InstanceType: TYPE, VSwitchId: n.vswId }, 403,
		    'QuotaExceed.SecurityGroup');
		const b = await d.call('DescribeInstances', { RegionId: REGION });
		assert.equal(b.TotalCount, 0, 'no instance left behind');
		const e = await h.pop(s.port).get('DescribeNetworkInterfaces', {
		    RegionId: REGION });
		assert.equal(e.TotalCount, 0, 'no ENI left behind');
	} finally {
		await h.stopServer(s);
	}
});

test('JoinSecurityGroup / LeaveSecurityGroup of an instance', async () => {
	const n = await net();
	const other = await net();
	const [g1, g2, g3] = [await group(V3, { VpcId: n.vpcId }),
	    await group(V3, { VpcId: n.vpcId }),
	    await group(V3, { VpcId: n.vpcId })];
	const foreign = await group(V3, { VpcId: other.vpcId });
	const classic = await group(V3, {});
	const [i] = await run(V3, { VSwitchId: n.vswId, SecurityGroupId: g1 });
	for (const [d, sg] of [[V3, g2], [POP, g3]]) {
		await d.call('JoinSecurityGroup', { InstanceId: i,
		    SecurityGroupId: sg });
	}
	assert.deepEqual(groupsOf(await inst(i)), [g1, g2, g3]);
	const primary = (await inst(i)).NetworkInterfaces.NetworkInterface[0]
	    .NetworkInterfaceId;
	assert.deepEqual((await eni(primary)).SecurityGroupIds.SecurityGroupId,
	    [g1, g2, g3], 'the primary ENI carries the groups');
	assert.equal(await memberCount(srv.port, g2), 1);
	/* the instance's groups filter DescribeInstances */
	const f = await POP.call('DescribeInstances', { RegionId: REGION,
	    SecurityGroupId: g3 });
	assert.deepEqual(f.Instances.Instance.map((x) => x.InstanceId), [i]);

	for (const d of [V3, POP, D['ecs20140526 tea V1']]) {
		await d.fails('JoinSecurityGroup', { InstanceId: i,
		    SecurityGroupId: g2 }, 403, 'InvalidInstanceId.AlreadyExists');
		await d.fails('JoinSecurityGroup', { InstanceId: i,
		    SecurityGroupId: foreign }, 400, 'InvalidInstanceId.Mismatch');
		await d.fails('JoinSecurityGroup', { InstanceId: i,
		    SecurityGroupId: classic }, 400, 'InvalidInstanceId.Mismatch');
		await d.fails('JoinSecurityGroup', { InstanceId: i,
		    SecurityGroupId: 'sg-doesnotexist0000' }, 404,
		    'InvalidSecurityGroupId.NotFound');
		await d.fails('JoinSecurityGroup', { InstanceId: 'i-doesnotexist00',
		    SecurityGroupId: g2 }, 404, 'InvalidInstanceId.NotFound');
		await d.fails('JoinSecurityGroup', { InstanceId: i,
		    RegionId: 'cn-beijing', SecurityGroupId: g2 }, 404,
		    'InvalidInstanceId.NotFound');
		await d.fails('JoinSecurityGroup', { InstanceId: i,
		    NetworkInterfaceId: primary, RegionId: REGION,
		    SecurityGroupId: g2 }, 400, 'InvalidParameter.Conflict');
		await d.fails('JoinSecurityGroup', { SecurityGroupId: g2 }, 400,
		    'MissingParameter');
		await d.fails('JoinSecurityGroup', { InstanceId: i }, 400,
		    'MissingParameter');
		await d.fails('LeaveSecurityGroup', { InstanceId: i,
		    SecurityGroupId: foreign }, 403, 'InstanceNotInSecurityGroup');
		await d.fails('LeaveSecurityGroup', { InstanceId: i,
		    SecurityGroupId: 'sg-doesnotexist0000' }, 404,
		    'InvalidSecurityGroupId.NotFound');
		await d.fails('LeaveSecurityGroup', { InstanceId: 'i-doesnotexist00',
		    SecurityGroupId: g1 }, 404, 'InvalidInstanceId.NotFound');
	}
	await V3.call('LeaveSecurityGroup', { InstanceId: i, SecurityGroupId: g2 });
	await POP.call('LeaveSecurityGroup', { InstanceId: i,
	    SecurityGroupId: g1, RegionId: REGION });
	assert.deepEqual(groupsOf(await inst(i)), [g3]);
	assert.equal(await memberCount(srv.port, g2), 0);
	/* the last group stays: every instance is in one at least */
	for (const d of [V3, POP]) {
		const e = await d.fails('LeaveSecurityGroup', { InstanceId: i,
		    SecurityGroupId: g3 }, 403, 'InstanceLastSecurityGroup');
		assert.match(e.Message, /last security group/);
	}
	/* through the primary ENI: the instance follows (compat.md) */
	await POP.call('JoinSecurityGroup', { RegionId: REGION,
	    NetworkInterfaceId: primary, SecurityGroupId: g1 });
	assert.deepEqual(groupsOf(await inst(i)), [g3, g1]);
	await V3.call('ModifyNetworkInterfaceAttribute', { RegionId: REGION,
	    NetworkInterfaceId: primary, SecurityGroupId: [g2, g3] });
	assert.deepEqual(groupsOf(await inst(i)), [g2, g3]);
	assert.equal(await memberCount(srv.port, g1), 0);
	await V3.fails('ModifyNetworkInterfaceAttribute', { RegionId: REGION,
	    NetworkInterfaceId: primary, SecurityGroupId: [foreign] }, 403,
	    'InvalidOperation.VpcMismatch');
	await POP.call('LeaveSecurityGroup', { RegionId: REGION,
	    NetworkInterfaceId: primary, SecurityGroupId: g2 });
	assert.deepEqual(groupsOf(await inst(i)), [g3]);
	/* works on a stopped instance too */
	await V3.call('StopInstance', { InstanceId: i });
	await V3.call('JoinSecurityGroup', { InstanceId: i, SecurityGroupId: g1 });
	await V3.call('LeaveSecurityGroup', { InstanceId: i,
	    SecurityGroupId: g3 });
	assert.deepEqual(groupsOf(await inst(i)), [g1]);
	/* members block deletion; after the instance goes, the group can */
	for (const d of [V3, POP]) {
		const e = await d.fails('DeleteSecurityGroup', { RegionId: REGION,
		    SecurityGroupId: g1 }, 403, 'DependencyViolation');
		assert.match(e.Message, /still instance/);
	}
	await V3.call('DeleteInstance', { InstanceId: i });
	for (const sg of [g1, g2, g3, foreign, classic])
		await V3.call('DeleteSecurityGroup', { RegionId: REGION,
		    SecurityGroupId: sg });
});

test('network interfaces: create, describe, attach, detach, modify, delete',
    async () => {
	const n = await net(srv.port, 0);
	const [g1, g2] = [await group(V3, { VpcId: n.vpcId,
	    SecurityGroupName: 'eni-1' }), await group(V3, { VpcId: n.vpcId })];
	const [i] = await run(V3, { VSwitchId: n.vswId, SecurityGroupId: g1 });
	const ids = [];
	for (const [name, d] of Object.entries(D)) {
		const c = await d.call('CreateNetworkInterface', {
		    RegionId: REGION, VSwitchId: n.vswId, SecurityGroupIds: [g1, g2],
		    NetworkInterfaceName: `nic-${ids.length}`,
		    Description: `made by ${name}` });
		assert.match(c.NetworkInterfaceId, /^eni-[0-9a-z]+$/);
		ids.push(c.NetworkInterfaceId);
		const e = await eni(c.NetworkInterfaceId, d);
		assert.equal(e.Status, 'Available');
		assert.equal(e.Type, 'Secondary');
		assert.equal(e.InstanceId, '');
		assert.equal(e.VpcId, n.vpcId);
		assert.equal(e.VSwitchId, n.vswId);
		assert.equal(e.ZoneId, n.zoneId);
		assert.equal(e.NetworkInterfaceName, `nic-${ids.length - 1}`);
		assert.equal(e.Description, `made by ${name}`);
		assert.deepEqual(e.SecurityGroupIds.SecurityGroupId, [g1, g2]);
			assert.ok(e.PrivateIpAddress.startsWith(n.prefix));
	}
	const [e1, e2] = ids;
	/* explicit address; taken address */
	const x = await POP.call('CreateNetworkInterface', { RegionId: REGION,
	    VSwitchId: n.vswId, SecurityGroupId: g2,
	    PrimaryIpAddress: n.vswIp.replace(/\.\d+$/, '.200') });
	ids.push(x.NetworkInterfaceId);
	assert.equal((await eni(x.NetworkInterfaceId)).PrivateIpAddress,
	    n.vswIp.replace(/\.\d+$/, '.200'));
	await V3.fails('CreateNetworkInterface', { RegionId: REGION,
	    VSwitchId: n.vswId, SecurityGroupId: g2,
	    PrimaryIpAddress: n.vswIp.replace(/\.\d+$/, '.200') }, 403,
	    'InvalidIp.IpRepeated');

	/* attach / detach */
	for (const d of [V3, POP]) {
		await d.call('AttachNetworkInterface', { RegionId: REGION,
		    NetworkInterfaceId: e1, InstanceId: i });
		let ie = await eni(e1);
		assert.equal(ie.Status, 'InUse');
		assert.equal(ie.InstanceId, i);
		assert.deepEqual(ie.Attachment, { InstanceId: i, DeviceIndex: 1 });
		let nics = (await inst(i)).NetworkInterfaces.NetworkInterface;
		assert.deepEqual(nics.map((z) => z.Type), ['Primary', 'Secondary']);
		assert.equal(nics[1].NetworkInterfaceId, e1);
		assert.deepEqual(groupsOf(await inst(i)), [g1],
		    'instance groups are the primary ENI\'s');
		await d.fails('AttachNetworkInterface', { RegionId: REGION,
		    NetworkInterfaceId: e1, InstanceId: i }, 400,
		    'InvalidOperation.InvalidEniState');
		await d.fails('DeleteNetworkInterface', { RegionId: REGION,
		    NetworkInterfaceId: e1 }, 400,
		    'InvalidOperation.InvalidEniState');
		await d.call('DetachNetworkInterface', { RegionId: REGION,
		    NetworkInterfaceId: e1, InstanceId: i });
		ie = await eni(e1);
		assert.equal(ie.Status, 'Available');
		assert.equal(ie.InstanceId, '');
		assert.ok(!('Attachment' in ie));
		nics = (await inst(i)).NetworkInterfaces.NetworkInterface;
		assert.equal(nics.length, 1);
		await d.fails('DetachNetworkInterface', { RegionId: REGION,
		    NetworkInterfaceId: e1, InstanceId: i }, 400,
		    'InvalidOperation.InvalidEniState');
	}
	const primary = (await inst(i)).NetworkInterfaces.NetworkInterface[0]
	    .NetworkInterfaceId;
	for (const d of [V3, POP]) {
		await d.fails('DetachNetworkInterface', { RegionId: REGION,
		    NetworkInterfaceId: primary, InstanceId: i }, 400,
		    'InvalidOperation.DetachPrimaryEniNotAllowed');
		await d.fails('AttachNetworkInterface', { RegionId: REGION,
		    NetworkInterfaceId: primary, InstanceId: i }, 403,
		    'InvalidOperation.InvalidEniType');
		await d.fails('DeleteNetworkInterface', { RegionId: REGION,
		    NetworkInterfaceId: primary }, 400,
		    'InvalidOperation.InvalidEniState');
		await d.fails('AttachNetworkInterface', { RegionId: REGION,
		    NetworkInterfaceId: 'eni-doesnotexist000', InstanceId: i }, 404,
		    'InvalidEniId.NotFound');
		await d.fails('AttachNetworkInterface', { RegionId: REGION,
		    NetworkInterfaceId: e2, InstanceId: 'i-doesnotexist000' }, 404,
		    'InvalidInstanceId.NotFound');
		await d.fails('CreateNetworkInterface', { RegionId: REGION,
		    VSwitchId: n.vswId }, 400, 'MissingParameter');
		await d.fails('CreateNetworkInterface', { RegionId: REGION,
		    VSwitchId: 'vsw-doesnotexist000', SecurityGroupId: g1 }, 404,
		    'InvalidVSwitchId.NotFound');
		await d.fails('CreateNetworkInterface', { RegionId: REGION,
		    VSwitchId: n.vswId, SecurityGroupId: g1,
		    SecurityGroupIds: [g2] }, 400, 'InvalidParameter.Conflict');
		await d.fails('CreateNetworkInterface', { RegionId: REGION,
		    VSwitchId: n.vswId, SecurityGroupId: 'sg-doesnotexist000' },
		    404, 'InvalidSecurityGroupId.NotFound');
		await d.fails('CreateNetworkInterface', { RegionId: REGION,
		    VSwitchId: n.vswId, SecurityGroupId: g1,
		    SecondaryPrivateIpAddressCount: 1 }, 400,
		    'UnsupportedParameter');
	}
	/* an ENI of another zone, another VPC */
	const z2 = await h.pop(srv.port, { version: h.VPC_VERSION }).get(
	    'CreateVSwitch', { RegionId: REGION, VpcId: n.vpcId,
	    ZoneId: (await h.pop(srv.port).get('DescribeZones', {
		RegionId: REGION })).Zones.Zone[1].ZoneId,
	    CidrBlock: n.vswCidr.replace(/\.1\.0\/24$/, '.2.0/24') });
	const far = await POP.call('CreateNetworkInterface', { RegionId: REGION,
	    VSwitchId: z2.VSwitchId, SecurityGroupId: g1 });
	ids.push(far.NetworkInterfaceId);
	await V3.fails('AttachNetworkInterface', { RegionId: REGION,
	    NetworkInterfaceId: far.NetworkInterfaceId, InstanceId: i }, 403,
	    'InvalidOperation.AvailabilityZoneMismatch');
	const o = await net();
	const og = await group(V3, { VpcId: o.vpcId });
	const classic = await group(V3, {});
	const oe = await POP.call('CreateNetworkInterface', { RegionId: REGION,
	    VSwitchId: o.vswId, SecurityGroupId: og });
	await V3.fails('AttachNetworkInterface', { RegionId: REGION,
	    NetworkInterfaceId: oe.NetworkInterfaceId, InstanceId: i }, 403,
	    'InvalidOperation.VpcMismatch');
	await V3.fails('CreateNetworkInterface', { RegionId: REGION,
	    VSwitchId: n.vswId, SecurityGroupId: og }, 403,
	    'InvalidOperation.VpcMismatch');
	await V3.fails('CreateNetworkInterface', { RegionId: REGION,
	    VSwitchId: n.vswId, SecurityGroupId: classic }, 403,
	    'InvalidSecurityGroupId.NotVpc');

	/* ModifyNetworkInterfaceAttribute: text, and the whole group set */
	for (const d of [V3, POP]) {
		await d.call('ModifyNetworkInterfaceAttribute', { RegionId: REGION,
		    NetworkInterfaceId: e2, NetworkInterfaceName: 'renamed',
		    Description: 'new words', SecurityGroupId: [g2] });
		let e = await eni(e2);
		assert.equal(e.NetworkInterfaceName, 'renamed');
		assert.equal(e.Description, 'new words');
		assert.deepEqual(e.SecurityGroupIds.SecurityGroupId, [g2]);
		await d.call('ModifyNetworkInterfaceAttribute', { RegionId: REGION,
		    NetworkInterfaceId: e2, SecurityGroupId: [g1, g2] });
		e = await eni(e2);
		assert.deepEqual(e.SecurityGroupIds.SecurityGroupId, [g1, g2]);
		assert.equal(e.NetworkInterfaceName, 'renamed', 'name kept');
		await d.fails('ModifyNetworkInterfaceAttribute', { RegionId: REGION,
		    NetworkInterfaceId: e2, SecurityGroupId: [g1, og] }, 403,
		    'InvalidOperation.VpcMismatch');
		await d.fails('ModifyNetworkInterfaceAttribute', { RegionId: REGION,
		    NetworkInterfaceId: e2, SecurityGroupId: [classic] }, 403,
		    'InvalidSecurityGroupId.NotVpc');
		await d.fails('ModifyNetworkInterfaceAttribute', { RegionId: REGION,
		    NetworkInterfaceId: e2, SecurityGroupId: [g1, g1] }, 400,
		    'InvalidParameter');
		await d.fails('ModifyNetworkInterfaceAttribute', { RegionId: REGION,
		    NetworkInterfaceId: 'eni-doesnotexist000',
		    Description: 'xx' }, 404, 'InvalidEniId.NotFound');
		assert.deepEqual((await eni(e2)).SecurityGroupIds.SecurityGroupId,
		    [g1, g2], 'a refused change changes nothing');
	}
	/* Join/Leave with an ENI: RegionId required; last group stays */
	await V3.fails('JoinSecurityGroup', { NetworkInterfaceId: e1,
	    SecurityGroupId: g2 }, 400, 'MissingParameter.RegionId');
	await V3.call('LeaveSecurityGroup', { RegionId: REGION,
	    NetworkInterfaceId: e1, SecurityGroupId: g2 });
	await V3.fails('LeaveSecurityGroup', { RegionId: REGION,
	    NetworkInterfaceId: e1, SecurityGroupId: g1 }, 403,
	    'InstanceLastSecurityGroup');
	await POP.fails('JoinSecurityGroup', { RegionId: REGION,
	    NetworkInterfaceId: e1, SecurityGroupId: og }, 403,
	    'InvalidOperation.VpcMismatch');
	await POP.call('JoinSecurityGroup', { RegionId: REGION,
	    NetworkInterfaceId: e1, SecurityGroupId: g2 });
	assert.deepEqual((await eni(e1)).SecurityGroupIds.SecurityGroupId,
	    [g1, g2]);
	await V3.fails('JoinSecurityGroup', { RegionId: REGION,
	    NetworkInterfaceId: 'eni-doesnotexist000', SecurityGroupId: g2 }, 404,
	    'InvalidEniId.NotFound');
	/* an ENI member blocks DeleteSecurityGroup too */
	await V3.fails('DeleteSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: g2 }, 403, 'DependencyViolation');

	/* DescribeNetworkInterfaces filters and paging */
	const list = async (p) => (await POP.call('DescribeNetworkInterfaces', {
	    RegionId: REGION, ...p })).NetworkInterfaceSets.NetworkInterfaceSet
	    .map((z) => z.NetworkInterfaceId).sort();
	assert.deepEqual(await list({ VpcId: n.vpcId, Type: 'Secondary' }),
	    [...ids].sort());
	assert.deepEqual(await list({ InstanceId: i }), [primary]);
	assert.deepEqual(await list({ NetworkInterfaceName: 'renamed' }), [e2]);
	assert.deepEqual(await list({ VSwitchId: z2.VSwitchId }),
	    [far.NetworkInterfaceId]);
	assert.deepEqual(await list({ SecurityGroupId: g2, VpcId: n.vpcId }),
	    ids.filter((v) => v !== far.NetworkInterfaceId).sort());
	assert.deepEqual(await list({ NetworkInterfaceId: [e1, e2] }),
	    [e1, e2].sort());
	assert.deepEqual(await list({ Status: 'InUse', VpcId: n.vpcId }),
	    [primary]);
	const seen = [];
	let tok;
	do {
		const b = await V3.call('DescribeNetworkInterfaces', {
		    RegionId: REGION, VpcId: n.vpcId, MaxResults: 10,
		    ...(tok ? { NextToken: tok } : {}) });
		seen.push(...b.NetworkInterfaceSets.NetworkInterfaceSet.map((z) =>
		    z.NetworkInterfaceId));
		tok = b.NextToken;
	} while (tok);
	assert.equal(new Set(seen).size, ids.length + 1);
	const pg = await POP.call('DescribeNetworkInterfaces', {
	    RegionId: REGION, VpcId: n.vpcId, PageSize: 2, PageNumber: 2 });
	assert.equal(pg.TotalCount, ids.length + 1);
	assert.equal(pg.NetworkInterfaceSets.NetworkInterfaceSet.length, 2);

	/* deleting the instance: secondary ENIs come off, Available, unless
	 * made with DeleteOnRelease */
	const { NetworkInterfaceId: dor } = await POP.call(
	    'CreateNetworkInterface', { RegionId: REGION, VSwitchId: n.vswId,
	    SecurityGroupId: g2, DeleteOnRelease: true });
	await V3.call('AttachNetworkInterface', { RegionId: REGION,
	    NetworkInterfaceId: e1, InstanceId: i });
	await V3.call('AttachNetworkInterface', { RegionId: REGION,
	    NetworkInterfaceId: dor, InstanceId: i });
	assert.equal((await eni(dor)).Attachment.DeviceIndex, 2);
	assert.equal((await eni(dor)).DeleteOnRelease, true);
	await V3.call('DeleteInstance', { InstanceId: i, Force: true });
	assert.equal((await eni(e1)).Status, 'Available');
	await V3.fails('DeleteNetworkInterface', { RegionId: REGION,
	    NetworkInterfaceId: dor }, 404, 'InvalidEniId.NotFound');
	await V3.fails('DescribeNetworkInterfaces', { RegionId: 'nowhere-1' },
	    404, 'InvalidRegionId.NotFound');
	for (const id of [...ids, oe.NetworkInterfaceId]) {
		await V3.call('DeleteNetworkInterface', { RegionId: REGION,
		    NetworkInterfaceId: id });
	}
	for (const d of [V3, POP])
		await d.fails('DeleteNetworkInterface', { RegionId: REGION,
		    NetworkInterfaceId: e1 }, 404, 'InvalidEniId.NotFound');
	for (const sg of [g1, g2, og, classic])
		await V3.call('DeleteSecurityGroup', { RegionId: REGION,
		    SecurityGroupId: sg });
});

test('basic and enterprise groups never together on one ENI or instance',
    async () => {
	const n = await net();
	const basic = await group(V3, { VpcId: n.vpcId });
	const basic2 = await group(V3, { VpcId: n.vpcId });
	const ent = await group(V3, { VpcId: n.vpcId,
	    SecurityGroupType: 'enterprise' });
	const ent2 = await group(V3, { VpcId: n.vpcId,
	    SecurityGroupType: 'enterprise' });
	const C = 'InvalidSecurityGroup.TypeConflict';
	const [bi] = await run(V3, { VSwitchId: n.vswId, SecurityGroupId: basic });
	const [ei] = await run(POP, { VSwitchId: n.vswId,
	    SecurityGroupIds: [ent, ent2] });
	assert.deepEqual(groupsOf(await inst(ei)), [ent, ent2]);
	for (const d of [V3, POP]) {
		await d.fails('JoinSecurityGroup', { InstanceId: bi,
		    SecurityGroupId: ent }, 403, C);
		await d.fails('JoinSecurityGroup', { InstanceId: ei,
		    SecurityGroupId: basic }, 403, C);
		await d.fails('RunInstances', { RegionId: REGION,
		    InstanceType: TYPE, VSwitchId: n.vswId,
		    SecurityGroupIds: [basic, ent] }, 403, C);
		await d.fails('CreateNetworkInterface', { RegionId: REGION,
		    VSwitchId: n.vswId, SecurityGroupIds: [ent, basic] }, 403, C);
	}
	assert.deepEqual(groupsOf(await inst(bi)), [basic]);
	/* an ENI bound to an instance has the instance's group type */
	const { NetworkInterfaceId: ee } = await POP.call(
	    'CreateNetworkInterface', { RegionId: REGION, VSwitchId: n.vswId,
	    SecurityGroupId: ent });
	const { NetworkInterfaceId: be } = await POP.call(
	    'CreateNetworkInterface', { RegionId: REGION, VSwitchId: n.vswId,
	    SecurityGroupId: basic2 });
	await V3.fails('AttachNetworkInterface', { RegionId: REGION,
	    NetworkInterfaceId: ee, InstanceId: bi }, 403, C);
	assert.equal((await eni(ee)).Status, 'Available', 'nothing attached');
	assert.equal((await inst(bi)).NetworkInterfaces.NetworkInterface.length,
	    1);
	await V3.call('AttachNetworkInterface', { RegionId: REGION,
	    NetworkInterfaceId: be, InstanceId: bi });
	await V3.call('AttachNetworkInterface', { RegionId: REGION,
	    NetworkInterfaceId: ee, InstanceId: ei });
	/* switching an attached ENI's groups to the other type */
	await V3.fails('ModifyNetworkInterfaceAttribute', { RegionId: REGION,
	    NetworkInterfaceId: be, SecurityGroupId: [ent] }, 403, C);
	await V3.fails('ModifyNetworkInterfaceAttribute', { RegionId: REGION,
	    NetworkInterfaceId: ee, SecurityGroupId: [basic] }, 403, C);
	assert.deepEqual((await eni(be)).SecurityGroupIds.SecurityGroupId,
	    [basic2]);
	await V3.fails('JoinSecurityGroup', { RegionId: REGION,
	    NetworkInterfaceId: be, SecurityGroupId: ent }, 403, C);
	/* detached, an ENI may change type (every group at once) */
	await V3.call('DetachNetworkInterface', { RegionId: REGION,
	    NetworkInterfaceId: be, InstanceId: bi });
	await V3.call('ModifyNetworkInterfaceAttribute', { RegionId: REGION,
	    NetworkInterfaceId: be, SecurityGroupId: [ent2] });
	await V3.call('AttachNetworkInterface', { RegionId: REGION,
	    NetworkInterfaceId: be, InstanceId: ei });
	const nics = (await inst(ei)).NetworkInterfaces.NetworkInterface;
	assert.deepEqual(nics.map((z) => z.Type), ['Primary', 'Secondary',
	    'Secondary']);
	assert.deepEqual(nics.slice(1).map((z) => z.NetworkInterfaceId), [ee, be]);
	for (const id of [bi, ei])
		await V3.call('DeleteInstance', { InstanceId: id, Force: true });
	for (const id of [ee, be])
		await V3.call('DeleteNetworkInterface', { RegionId: REGION,
		    NetworkInterfaceId: id });
});

test('membership quotas (fresh server: --rules-per-eni 20, --vpc-basic-group-ips 3, --classic-group-instances 2, --enterprise-group-enis 2)',
    async () => {
	const s = await h.startServer(['--rules-per-eni', '20',
	    '--vpc-basic-group-ips', '3', '--classic-group-instances', '2',
	    '--enterprise-group-enis', '2']);
	try {
		const Ds = h.ecsDrivers(s.port);
		const t = Ds['ecs20140526 tea V3'];
		const p = Ds['pop-core GET'];
		const n = await net(s.port);
		const mk = (q = {}) => group(t, { VpcId: n.vpcId, ...q });
		const rules = (sg, from, k) => t.call('AuthorizeSecurityGroup', {
		    RegionId: REGION, SecurityGroupId: sg, Permissions: Array.from(
			{ length: k }, (_, i) => ({ IpProtocol: 'tcp',
			    PortRange: `${from + i}/${from + i}`,
			    SourceCidrIp: '10.0.0.0/8' })) });

		/* groups per ENI: 5 */
		const five = [await mk(), await mk(), await mk(), await mk(),
		    await mk()];
		const sixth = await mk();
		const [a] = await run(t, { VSwitchId: n.vswId,
		    SecurityGroupIds: five });
		assert.deepEqual(groupsOf((await instances([a], p))[0]), five);
		for (const d of [t, p]) {
			const e = await d.fails('JoinSecurityGroup', { InstanceId: a,
			    SecurityGroupId: sixth }, 400,
			    'InstanceSecurityGroupLimitExceeded');
			assert.match(e.Message, /allowed amount of security groups/);
			await d.fails('RunInstances', { RegionId: REGION,
			    InstanceType: TYPE, VSwitchId: n.vswId,
			    SecurityGroupIds: [...five, sixth] }, 400,
			    'InstanceSecurityGroupLimitExceeded');
			await d.fails('CreateNetworkInterface', { RegionId: REGION,
			    VSwitchId: n.vswId, SecurityGroupIds: [...five, sixth] },
			    400, 'InstanceSecurityGroupLimitExceeded');
		}
		await t.call('DeleteInstance', { InstanceId: a, Force: true });

		/* rules per ENI: 20, summed over its groups */
		const [ga, gb, gc] = [await mk(), await mk(), await mk()];
		await rules(ga, 1, 15);
		await rules(gb, 100, 6);
		await rules(gc, 200, 5);
		const [i] = await run(t, { VSwitchId: n.vswId,
		    SecurityGroupId: ga });
		for (const d of [t, p]) {
			const e = await d.fails('JoinSecurityGroup', { InstanceId: i,
			    SecurityGroupId: gb }, 403, 'AclLimitExceed');
			assert.match(e.Message, /rule count exceeds the limit/);
			await d.fails('RunInstances', { RegionId: REGION,
			    InstanceType: TYPE, VSwitchId: n.vswId,
			    SecurityGroupIds: [ga, gb] }, 403, 'AclLimitExceed');
		}
		assert.deepEqual(groupsOf((await instances([i], p))[0]), [ga]);
		await t.call('JoinSecurityGroup', { InstanceId: i,
		    SecurityGroupId: gc });
		/* the ENI is at 20: no group of it may grow */
		for (const d of [t, p])
			await d.fails('AuthorizeSecurityGroupEgress', {
			    RegionId: REGION, SecurityGroupId: gc, Permissions: [
				{ IpProtocol: 'all', DestCidrIp: '10.0.0.0/8' }] },
			    403, 'AclLimitExceed');
		await rules(gb, 300, 1);	/* gb has no members: fine */
		/* one rule out of ga: one may come in elsewhere */
		await t.call('RevokeSecurityGroup', { RegionId: REGION,
		    SecurityGroupId: ga, Permissions: [{ IpProtocol: 'tcp',
			PortRange: '1/1', SourceCidrIp: '10.0.0.0/8' }] });
		await t.call('AuthorizeSecurityGroupEgress', { RegionId: REGION,
		    SecurityGroupId: gc, Permissions: [{ IpProtocol: 'all',
			DestCidrIp: '10.0.0.0/8' }] });
		await t.call('DeleteInstance', { InstanceId: i, Force: true });

		/* members per VPC basic group: 3 private IPs (ENIs count) */
		const small = await mk();
		await run(t, { VSwitchId: n.vswId, SecurityGroupId: small,
		    Amount: 2 });
		await p.call('CreateNetworkInterface', { RegionId: REGION,
		    VSwitchId: n.vswId, SecurityGroupId: small });
		for (const d of [t, p]) {
			await d.fails('RunInstances', { RegionId: REGION,
			    InstanceType: TYPE, VSwitchId: n.vswId,
			    SecurityGroupId: small }, 403,
			    'SecurityGroupInstanceLimitExceeded');
			await d.fails('CreateNetworkInterface', { RegionId: REGION,
			    VSwitchId: n.vswId, SecurityGroupId: small }, 403,
			    'SecurityGroupInstanceLimitExceeded');
		}
		assert.equal(await memberCount(s.port, small), 3);
		const cnt = await p.call('DescribeSecurityGroups', {
		    RegionId: REGION, SecurityGroupId: small,
		    IsQueryEcsCount: true });
		assert.equal(cnt.SecurityGroups.SecurityGroup[0]
		    .AvailableInstanceAmount, 0);
		/* Amount is all or nothing */
		const big = await mk();
		await t.fails('RunInstances', { RegionId: REGION,
		    InstanceType: TYPE, VSwitchId: n.vswId, SecurityGroupId: big,
		    Amount: 4 }, 403, 'SecurityGroupInstanceLimitExceeded');
		assert.equal(await memberCount(s.port, big), 0);

		/* classic group: 2 instances */
		const cg = await group(t, {});
		await run(t, { SecurityGroupId: cg, Amount: 2 });
		await t.fails('RunInstances', { RegionId: REGION,
		    InstanceType: TYPE, SecurityGroupId: cg }, 403,
		    'SecurityGroupInstanceLimitExceeded');
		/* enterprise group: 2 ENIs */
		const eg = await mk({ SecurityGroupType: 'enterprise' });
		const [ea] = await run(t, { VSwitchId: n.vswId,
		    SecurityGroupId: eg });
		await p.call('CreateNetworkInterface', { RegionId: REGION,
		    VSwitchId: n.vswId, SecurityGroupId: eg });
		await p.fails('CreateNetworkInterface', { RegionId: REGION,
		    VSwitchId: n.vswId, SecurityGroupId: eg }, 403,
		    'SecurityGroupInstanceLimitExceeded');
		/* leaving frees a place */
		await t.call('JoinSecurityGroup', { InstanceId: ea,
		    SecurityGroupId: (await mk({ SecurityGroupType:
			'enterprise' })) });
		await t.call('LeaveSecurityGroup', { InstanceId: ea,
		    SecurityGroupId: eg });
		await p.call('CreateNetworkInterface', { RegionId: REGION,
		    VSwitchId: n.vswId, SecurityGroupId: eg });
	} finally {
		await h.stopServer(s);
	}
});

test('RunInstances and DescribeInstances: parameters, filters, paging',
    async () => {
	const n = await net();
	const o = await net();
	const sg = await group(V3, { VpcId: n.vpcId });
	const osg = await group(V3, { VpcId: o.vpcId });
	const base = { RegionId: REGION, InstanceType: TYPE, VSwitchId: n.vswId,
	    SecurityGroupId: sg };
	for (const d of [V3, POP]) {
		await d.fails('RunInstances', { ...base, SecurityGroupId: osg },
		    403, 'OperationDenied.InconsistentNetwork');
		await d.fails('RunInstances', { ...base,
		    SecurityGroupId: 'sg-doesnotexist000' }, 404,
		    'InvalidSecurityGroupId.NotFound');
		await d.fails('RunInstances', { ...base, SecurityGroupIds: [sg] },
		    400, 'InvalidParameter.Conflict');
		const { InstanceType: _t, ...noType } = base;
		await d.fails('RunInstances', noType, 400, 'MissingParameter');
		await d.fails('RunInstances', { ...base, InstanceType: 'big' }, 400,
		    'InvalidInstanceType.ValueNotSupported');
		await d.fails('RunInstances', { ...base, Amount: 101 }, 403,
		    'InvalidParam.Amount');
		await d.fails('RunInstances', { ...base,
		    VSwitchId: 'vsw-doesnotexist000' }, 404,
		    'InvalidVSwitchId.NotFound');
		await d.fails('RunInstances', { ...base, InstanceName: '1bad' },
		    400, 'InvalidInstanceName.Malformed');
		await d.fails('RunInstances', { ...base, HostName: '-bad' }, 400,
		    'InvalidHostName.Malformed');
		await d.fails('RunInstances', { ...base,
		    PrivateIpAddress: '192.168.9.9' }, 400,
		    'InvalidPrivateIpAddress');
		await d.fails('RunInstances', { ...base, DryRun: true }, 400,
		    'DryRunOperation');
		await d.fails('CreateInstance', { ...base, DryRun: true }, 400,
		    'DryRunOperation');
		await d.fails('RunInstances', { ...base, RegionId: 'nowhere-1' },
		    404, 'InvalidRegionId.NotFound');
	}
	const none = await POP.call('DescribeInstances', { RegionId: REGION,
	    VpcId: n.vpcId });
	assert.equal(none.TotalCount, 0, 'refused and dry runs made nothing');
	assert.equal(await memberCount(srv.port, sg), 0);

	const made = await run(V3, { ...base, Amount: 5,
	    InstanceName: 'pg-[0,2]' });
	await V3.call('StopInstance', { InstanceId: made[4] });
	const ids = async (p) => (await POP.call('DescribeInstances', {
	    RegionId: REGION, PageSize: 100, ...p })).Instances.Instance
	    .map((i) => i.InstanceId).sort();
	const S = (...x) => x.sort();
	assert.deepEqual(await ids({ VpcId: n.vpcId }), S(...made));
	assert.deepEqual(await ids({ VpcId: n.vpcId, Status: 'Stopped' }),
	    [made[4]]);
	assert.deepEqual(await ids({ SecurityGroupId: sg }), S(...made));
	assert.deepEqual(await ids({ VSwitchId: n.vswId, InstanceName: 'pg-0*' }),
	    S(...made));
	assert.deepEqual(await ids({ VpcId: n.vpcId, InstanceName: 'pg-03' }),
	    [made[3]]);
	const ip = (await inst(made[2])).VpcAttributes.PrivateIpAddress
	    .IpAddress[0];
	assert.deepEqual(await ids({ PrivateIpAddresses: JSON.stringify([ip]) }),
	    [made[2]]);
	assert.deepEqual(await ids({ VpcId: n.vpcId,
	    InstanceNetworkType: 'classic' }), []);
	for (const d of [V3, POP]) {
		await d.fails('DescribeInstances', { RegionId: REGION,
		    Status: 'Sleeping' }, 404, 'InvalidStatus.NotFound');
		await d.fails('DescribeInstances', { RegionId: REGION,
		    InstanceNetworkType: 'wan' }, 404,
		    'InvalidNetworkType.NotFound');
		await d.fails('DescribeInstances', { RegionId: REGION,
		    PageSize: 101 }, 400, 'InvalidParameter');
		await d.fails('DescribeInstances', { RegionId: REGION,
		    NextToken: 'x' }, 400, 'InvalidParameter');
		await d.fails('DescribeInstances', {}, 400, 'MissingParameter');
	}
	/* both paging styles */
	const pages = [];
	for (const k of [1, 2, 3]) {
		const b = await POP.call('DescribeInstances', { RegionId: REGION,
		    VpcId: n.vpcId, PageSize: 2, PageNumber: k });
		assert.equal(b.TotalCount, 5);
		assert.equal(b.PageNumber, k);
		pages.push(...b.Instances.Instance.map((i) => i.InstanceId));
	}
	assert.deepEqual([...pages].sort(), S(...made));
	const toks = [];
	let tok;
	do {
		const b = await V3.call('DescribeInstances', { RegionId: REGION,
		    VpcId: n.vpcId, MaxResults: 10, ...(tok ? { NextToken: tok } :
			{}) });
		toks.push(...b.Instances.Instance.map((i) => i.InstanceId));
		tok = b.NextToken;
	} while (tok);
	assert.deepEqual([...toks].sort(), S(...made));
	/* a fixed private address, then it is taken */
	const want = n.vswIp.replace(/\.\d+$/, '.77');
	const [f] = await run(POP, { ...base, PrivateIpAddress: want });
	assert.deepEqual((await inst(f)).VpcAttributes.PrivateIpAddress.IpAddress,
	    [want]);
	await V3.fails('RunInstances', { ...base, PrivateIpAddress: want }, 400,
	    'InvalidPrivateIpAddress.Duplicated');
	/* ClientToken: the same instances again */
	const tp = { ...base, ClientToken: `run-${h.nonce()}` };
	const r1 = await run(V3, tp);
	const r2 = await run(POP, tp);
	assert.deepEqual(r2, r1);
	for (const id of [...made, f, ...r1])
		await V3.call('DeleteInstance', { InstanceId: id, Force: true });
});

test('tags on instances and network interfaces', async () => {
	const n = await net();
	const sg = await group(V3, { VpcId: n.vpcId });
	const [i] = await run(V3, { VSwitchId: n.vswId, SecurityGroupId: sg });
	const { NetworkInterfaceId: e } = await POP.call(
	    'CreateNetworkInterface', { RegionId: REGION, VSwitchId: n.vswId,
	    SecurityGroupId: sg });
	for (const [type, id] of [['instance', i], ['eni', e]]) {
		await V3.call('TagResources', { RegionId: REGION, ResourceType: type,
		    ResourceId: [id], Tag: [{ Key: 'role', Value: 'web' }] });
		const l = await POP.call('ListTagResources', { RegionId: REGION,
		    ResourceType: type, ResourceId: [id] });
		assert.deepEqual(l.TagResources.TagResource, [{ ResourceId: id,
		    ResourceType: type, TagKey: 'role', TagValue: 'web' }]);
		/* the id of another type is not found */
		await V3.fails('TagResources', { RegionId: REGION,
		    ResourceType: type === 'eni' ? 'instance' : 'eni',
		    ResourceId: [id], Tag: [{ Key: 'k', Value: 'v' }] }, 404,
		    'InvalidResourceId.NotFound');
	}
	assert.deepEqual((await inst(i)).Tags.Tag, [{ TagKey: 'role',
	    TagValue: 'web' }]);
	assert.deepEqual((await eni(e)).Tags.Tag, [{ TagKey: 'role',
	    TagValue: 'web' }]);
	await V3.call('UntagResources', { RegionId: REGION, ResourceType: 'eni',
	    ResourceId: [e], All: true });
	assert.deepEqual((await eni(e)).Tags.Tag, []);
	await V3.call('DeleteInstance', { InstanceId: i, Force: true });
	await V3.call('DeleteNetworkInterface', { RegionId: REGION,
	    NetworkInterfaceId: e });
	await V3.call('DeleteSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: sg });
});

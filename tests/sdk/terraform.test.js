'use strict';
/*
 * What the Terraform provider (aliyun/alicloud) sends for
 * alicloud_security_group and alicloud_security_group_rule (ecs-api.md
 * §9.2), replayed with hand-signed V1 requests shaped exactly like its two
 * transports:
 *   rpc     Go tea-rpc (client.RpcPost): POST, common parameters in the
 *           query, API parameters in a form-urlencoded body, Format=json;
 *   legacy  alibaba-cloud-sdk-go CommonRequest: GET, everything in the
 *           query, Format=JSON, an empty SignatureType=, spaces as '+'.
 * Each step checks what the provider relies on: HTTP 200 without Code, the
 * fields it reads compared as exact strings, 404 (and a NotFound code) for
 * a deleted resource, DependencyViolation while a group is referenced, an
 * idempotent Modify (sent twice) and Revoke (no match is success).
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const h = require('./harness');

const srv = h.useServer();
const REGION = 'cn-beijing';

async function rpc(action, params) {
	return h.send(srv.port, h.rawV1({ method: 'POST', place: 'split',
	    action, params }));
}

async function legacy(action, params) {
	return h.send(srv.port, h.rawV1({ method: 'GET', action, plus: true,
	    set: { Format: 'JSON' }, params: [...Object.entries(params),
		['SignatureType', '']] }));
}

/* 200, JSON, no Code (pop-core/Terraform treat a Code as an error). */
function ok(res) {
	assert.equal(res.status, 200, `HTTP 200 (body ${res.text})`);
	assert.ok(res.json, 'JSON body');
	assert.ok(!('Code' in res.json), 'no Code in a success body');
	assert.equal(typeof res.json.RequestId, 'string');
	return res.json;
}

/* The provider's tokens: TF-<action>-<unix>-<uuid>, cut to 64. */
function token(action) {
	return `TF-${action}-${Math.floor(Date.now() / 1000)}-${
	    crypto.randomUUID()}`.slice(0, 64);
}

/*
 * resource_alicloud_security_group_rule's read: the rule whose protocol,
 * port range, peer, policy and priority equal the resource id's, compared
 * as strings (lower-cased protocol and policy).
 */
function tfFind(perms, r) {
	const peerField = r.type === 'ingress' ?
	    ['SourceCidrIp', 'SourceGroupId', 'Ipv6SourceCidrIp',
		'SourcePrefixListId'] :
	    ['DestCidrIp', 'DestGroupId', 'Ipv6DestCidrIp', 'DestPrefixListId'];
	return perms.filter((p) =>
	    p.IpProtocol.toLowerCase() === r.ip_protocol &&
	    p.PortRange === r.port_range &&
	    peerField.map((f) => p[f]).find((v) => v !== '') === r.peer &&
	    p.Policy.toLowerCase() === r.policy &&
	    String(p.Priority) === String(r.priority));
}

/* The flat parameter set Modify and Revoke carry (every peer field, "" when
 * unset; Description always, possibly empty). */
function flat(sg, r, description) {
	const I = r.type === 'ingress';
	const p = {
		PortRange: r.port_range, IpProtocol: r.ip_protocol,
		Policy: r.policy, Priority: String(r.priority),
		[I ? 'SourceCidrIp' : 'DestCidrIp']: r.cidr_ip || '',
		[I ? 'Ipv6SourceCidrIp' : 'Ipv6DestCidrIp']: r.ipv6_cidr_ip || '',
		[I ? 'SourcePrefixListId' : 'DestPrefixListId']: '',
		[I ? 'SourceGroupId' : 'DestGroupId']: r.group || '',
		[I ? 'SourceGroupOwnerAccount' : 'DestGroupOwnerAccount']: '',
		[I ? 'SourceGroupOwnerId' : 'DestGroupOwnerId']: '',
		SecurityGroupId: sg, Description: description, RegionId: REGION,
	};
	if (r.nic_type)
		p.NicType = r.nic_type;
	return p;
}

/* AuthorizeSecurityGroup[Egress] as the provider's create sends it. */
function permissions(sg, r) {
	const I = r.type === 'ingress';
	const p = { RegionId: REGION, SecurityGroupId: sg,
	    'Permissions.1.IpProtocol': r.ip_protocol,
	    'Permissions.1.Policy': r.policy,
	    'Permissions.1.Priority': String(r.priority),
	    'Permissions.1.PortRange': r.port_range };
	if (r.nic_type)
		p['Permissions.1.NicType'] = r.nic_type;
	if (r.description)
		p['Permissions.1.Description'] = r.description;
	if (r.cidr_ip)
		p[`Permissions.1.${I ? 'SourceCidrIp' : 'DestCidrIp'}`] = r.cidr_ip;
	if (r.ipv6_cidr_ip)
		p[`Permissions.1.${I ? 'Ipv6SourceCidrIp' : 'Ipv6DestCidrIp'}`] =
		    r.ipv6_cidr_ip;
	if (r.group)
		p[`Permissions.1.${I ? 'SourceGroupId' : 'DestGroupId'}`] = r.group;
	return p;
}

async function tfRead(sg, r) {
	const b = ok(await legacy('DescribeSecurityGroupAttribute', {
	    RegionId: REGION, SecurityGroupId: sg, Direction: r.type,
	    NicType: r.nic_type || 'intranet' }));
	assert.equal(b.SecurityGroupId, sg);
	return tfFind(b.Permissions.Permission, r);
}

/* The whole life of one alicloud_security_group_rule. */
async function ruleLifecycle(sg, r) {
	const dir = r.type === 'ingress' ? '' : 'Egress';
	/* create: the group is read first (its VpcId), then Authorize */
	const g = ok(await legacy('DescribeSecurityGroupAttribute', {
	    RegionId: REGION, SecurityGroupId: sg }));
	assert.equal(g.SecurityGroupId, sg);
	ok(await rpc(`AuthorizeSecurityGroup${dir}`, permissions(sg, r)));
	/* autoRetry after a lost answer: the same request again */
	ok(await rpc(`AuthorizeSecurityGroup${dir}`, permissions(sg, r)));
	let found = await tfRead(sg, r);
	assert.equal(found.length, 1, 'exactly one rule matches the id');
	const rule = found[0];
	assert.equal(rule.IpProtocol, r.ip_protocol.toUpperCase());
	assert.equal(rule.Policy, r.policy === 'accept' ? 'Accept' : 'Drop');
	assert.equal(rule.Direction, r.type);
	assert.equal(rule.NicType, r.nic_type || 'intranet');
	assert.equal(rule.Description, r.description || '');
	assert.equal(typeof rule.Priority, 'number');
	assert.match(rule.SecurityGroupRuleId, /^sgr-/);

	/* update (description only), sent twice in a row */
	for (let i = 0; i < 2; i++)
		ok(await legacy(`ModifySecurityGroup${dir}Rule`, flat(sg, r,
		    'changed by terraform')));
	found = await tfRead(sg, r);
	assert.equal(found.length, 1);
	assert.equal(found[0].SecurityGroupRuleId, rule.SecurityGroupRuleId);
	assert.equal(found[0].Description, 'changed by terraform');
	assert.equal(found[0].CreateTime, rule.CreateTime);
	for (let i = 0; i < 2; i++)
		ok(await legacy(`ModifySecurityGroup${dir}Rule`, flat(sg, r, '')));
	found = await tfRead(sg, r);
	assert.equal(found.length, 1);
	assert.equal(found[0].Description, '');

	/* delete: the flat set with the current (empty) Description */
	ok(await legacy(`RevokeSecurityGroup${dir}`, flat(sg, r, '')));
	assert.deepEqual(await tfRead(sg, r), [], 'rule gone');
	/* the provider retries: a second revoke is a success */
	ok(await legacy(`RevokeSecurityGroup${dir}`, flat(sg, r, '')));
	/* and Modify of a gone rule is not found */
	const m = await legacy(`ModifySecurityGroup${dir}Rule`, flat(sg, r, 'x'));
	h.assertRawError(m, 404, 'SecurityGroupRule.NotFound');
}

test('alicloud_security_group: create, update, read, delete', async () => {
	const { vpcId } = await h.makeVpc(srv.port, { region: REGION,
	    cidr: '172.16.0.0/16' });
	const create = { RegionId: REGION, ClientToken: token(
	    'CreateSecurityGroup'), SecurityGroupType: 'normal',
	    'Tag.1.Key': 'Created', 'Tag.1.Value': 'TF', 'Tag.2.Key': 'For',
	    'Tag.2.Value': 'acceptance test', Description: 'managed by terraform',
	    VpcId: vpcId, SecurityGroupName: 'tf-test_sg.1' };
	const a = ok(await rpc('CreateSecurityGroup', create));
	assert.match(a.SecurityGroupId, /^sg-/);
	const sg = a.SecurityGroupId;
	/* a retried create answers the same group */
	assert.equal(ok(await rpc('CreateSecurityGroup', create)).SecurityGroupId,
	    sg);

	/* update step after create: inner_access_policy */
	let attr = ok(await rpc('DescribeSecurityGroupAttribute', {
	    RegionId: REGION, SecurityGroupId: sg }));
	assert.equal(attr.InnerAccessPolicy, 'Accept');
	ok(await rpc('ModifySecurityGroupPolicy', { SecurityGroupId: sg,
	    RegionId: REGION, ClientToken: token('ModifySecurityGroupPolicy'),
	    InnerAccessPolicy: 'Drop' }));

	/* read */
	const read = async () => {
		const b = ok(await rpc('DescribeSecurityGroups', {
		    RegionId: REGION, SecurityGroupId: sg }));
		return b.SecurityGroups.SecurityGroup;
	};
	let [g] = await read();
	assert.equal(g.SecurityGroupId, sg);
	assert.match(g.CreationTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
	assert.equal(g.Description, 'managed by terraform');
	assert.equal(g.ResourceGroupId, '');
	assert.equal(g.SecurityGroupName, 'tf-test_sg.1');
	assert.equal(g.SecurityGroupType, 'normal');
	assert.equal(g.VpcId, vpcId);
	assert.deepEqual([...g.Tags.Tag].sort((x, y) =>
	    x.TagKey.localeCompare(y.TagKey)), [
	    { TagKey: 'Created', TagValue: 'TF' },
	    { TagKey: 'For', TagValue: 'acceptance test' }]);
	attr = ok(await rpc('DescribeSecurityGroupAttribute', {
	    RegionId: REGION, SecurityGroupId: sg }));
	assert.equal(attr.InnerAccessPolicy, 'Drop');

	/* later updates: name/description, tags, policy back */
	ok(await rpc('ModifySecurityGroupAttribute', { RegionId: REGION,
	    SecurityGroupId: sg, SecurityGroupName: 'tf-test-renamed',
	    Description: 'still managed by terraform' }));
	ok(await rpc('TagResources', { RegionId: REGION,
	    ResourceType: 'securitygroup', 'ResourceId.1': sg,
	    'Tag.1.Key': 'Stage', 'Tag.1.Value': 'two' }));
	ok(await rpc('UntagResources', { RegionId: REGION,
	    ResourceType: 'securitygroup', 'ResourceId.1': sg,
	    'TagKey.1': 'For' }));
	ok(await rpc('ModifySecurityGroupPolicy', { SecurityGroupId: sg,
	    RegionId: REGION, ClientToken: token('ModifySecurityGroupPolicy'),
	    InnerAccessPolicy: 'Accept' }));
	[g] = await read();
	assert.equal(g.SecurityGroupName, 'tf-test-renamed');
	assert.equal(g.Description, 'still managed by terraform');
	assert.deepEqual([...g.Tags.Tag].sort((x, y) =>
	    x.TagKey.localeCompare(y.TagKey)), [
	    { TagKey: 'Created', TagValue: 'TF' },
	    { TagKey: 'Stage', TagValue: 'two' }]);
	attr = ok(await legacy('DescribeSecurityGroupAttribute', {
	    RegionId: REGION, SecurityGroupId: sg }));
	assert.equal(attr.InnerAccessPolicy, 'Accept');

	/* delete while another group's rule names it: DependencyViolation,
	 * which the provider retries; then it goes */
	const other = ok(await rpc('CreateSecurityGroup', { RegionId: REGION,
	    VpcId: vpcId, ClientToken: token('CreateSecurityGroup') }))
	    .SecurityGroupId;
	ok(await rpc('AuthorizeSecurityGroup', permissions(other, {
	    type: 'ingress', ip_protocol: 'tcp', port_range: '22/22',
	    policy: 'accept', priority: 1, group: sg })));
	const dv = await rpc('DeleteSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: sg });
	h.assertRawError(dv, 403, 'DependencyViolation');
	ok(await rpc('DeleteSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: other }));
	ok(await rpc('DeleteSecurityGroup', { RegionId: REGION,
	    SecurityGroupId: sg }));
	assert.deepEqual(await read(), [], 'an empty list: gone');
	for (const send of [rpc, legacy]) {
		const nf = await send('DeleteSecurityGroup', { RegionId: REGION,
		    SecurityGroupId: sg });
		const b = h.assertRawError(nf, 404, 'InvalidSecurityGroupId.NotFound');
		assert.match(b.Code, /NotFound/);
	}
	h.assertRawError(await rpc('DescribeSecurityGroupAttribute', {
	    RegionId: REGION, SecurityGroupId: sg }), 404,
	    'InvalidSecurityGroupId.NotFound');
});

test('alicloud_security_group_rule: ingress, egress, group, IPv6, ICMP, classic',
    async () => {
	const { vpcId } = await h.makeVpc(srv.port, { region: REGION,
	    cidr: '172.17.0.0/16' });
	const sg = ok(await rpc('CreateSecurityGroup', { RegionId: REGION,
	    VpcId: vpcId, ClientToken: token('CreateSecurityGroup') }))
	    .SecurityGroupId;
	const peer = ok(await rpc('CreateSecurityGroup', { RegionId: REGION,
	    VpcId: vpcId, ClientToken: token('CreateSecurityGroup') }))
	    .SecurityGroupId;
	const rules = [
	    { type: 'ingress', ip_protocol: 'tcp', port_range: '22/22',
		policy: 'accept', priority: 1, nic_type: 'intranet',
		cidr_ip: '10.0.0.1', peer: '10.0.0.1',
		description: 'ssh from bastion' },
	    { type: 'ingress', ip_protocol: 'udp', port_range: '1/200',
		policy: 'drop', priority: 100, cidr_ip: '192.168.0.0/16',
		peer: '192.168.0.0/16' },
	    { type: 'egress', ip_protocol: 'tcp', port_range: '443/443',
		policy: 'accept', priority: 5, nic_type: 'intranet',
		cidr_ip: '0.0.0.0/0', peer: '0.0.0.0/0',
		description: 'https out' },
	    { type: 'ingress', ip_protocol: 'all', port_range: '-1/-1',
		policy: 'accept', priority: 1, nic_type: 'intranet', group: peer,
		peer },
	    { type: 'egress', ip_protocol: 'all', port_range: '-1/-1',
		policy: 'drop', priority: 2, group: peer, peer },
	    { type: 'ingress', ip_protocol: 'tcp', port_range: '8080/8080',
		policy: 'accept', priority: 1,
		ipv6_cidr_ip: '2001:db8:1234::/48', peer: '2001:db8:1234::/48' },
	    { type: 'ingress', ip_protocol: 'icmp', port_range: '-1/-1',
		policy: 'accept', priority: 1, cidr_ip: '0.0.0.0/0',
		peer: '0.0.0.0/0' },
	    { type: 'egress', ip_protocol: 'gre', port_range: '-1/-1',
		policy: 'accept', priority: 3, cidr_ip: '10.1.2.3',
		peer: '10.1.2.3' },
	];
	for (const r of rules)
		await ruleLifecycle(sg, r);
	const left = ok(await rpc('DescribeSecurityGroupAttribute', {
	    RegionId: REGION, SecurityGroupId: sg }));
	assert.deepEqual(left.Permissions.Permission, []);

	/* a classic group: the provider computes nic_type internet */
	const cl = ok(await rpc('CreateSecurityGroup', { RegionId: REGION,
	    ClientToken: token('CreateSecurityGroup') })).SecurityGroupId;
	await ruleLifecycle(cl, { type: 'ingress', ip_protocol: 'tcp',
	    port_range: '80/80', policy: 'accept', priority: 1,
	    nic_type: 'internet', cidr_ip: '0.0.0.0/0', peer: '0.0.0.0/0' });
	await ruleLifecycle(cl, { type: 'ingress', ip_protocol: 'tcp',
	    port_range: '3306/3306', policy: 'accept', priority: 1,
	    nic_type: 'intranet', cidr_ip: '10.0.0.9/32', peer: '10.0.0.9/32' });

	/* one request's rule read back while the others exist: exact match */
	ok(await rpc('AuthorizeSecurityGroup', permissions(sg, rules[0])));
	ok(await rpc('AuthorizeSecurityGroup', permissions(sg, { ...rules[0],
	    cidr_ip: '10.0.0.2', peer: '10.0.0.2' })));
	ok(await rpc('AuthorizeSecurityGroup', permissions(sg, { ...rules[0],
	    priority: 2 })));
	assert.equal((await tfRead(sg, rules[0])).length, 1);
	/* Terraform's own id form: the CIDR as written, not normalised */
	assert.deepEqual(await tfRead(sg, { ...rules[0], peer: '10.0.0.1/32' }),
	    []);

	/* a group that is gone: the rule read and revoke are 404 */
	for (const id of [sg, peer, cl])
		ok(await rpc('DeleteSecurityGroup', { RegionId: REGION,
		    SecurityGroupId: id }));
	h.assertRawError(await legacy('DescribeSecurityGroupAttribute', {
	    RegionId: REGION, SecurityGroupId: sg, Direction: 'ingress',
	    NicType: 'intranet' }), 404, 'InvalidSecurityGroupId.NotFound');
	h.assertRawError(await legacy('RevokeSecurityGroup', flat(sg, rules[0],
	    '')), 404, 'InvalidSecurityGroupId.NotFound');
});

test('the two transports are signed as the provider signs them', async () => {
	/* tea-rpc: nothing but the common parameters in the query */
	const r = h.rawV1({ method: 'POST', place: 'split',
	    action: 'DescribeSecurityGroups', params: { RegionId: REGION,
		SecurityGroupName: 'a b+c' } });
	assert.ok(!r.query.includes('RegionId'));
	assert.match(r.body, /SecurityGroupName=a%20b%2Bc/);
	assert.match(r.query, /Format=json/);
	ok(await h.send(srv.port, r));
	/* legacy: spaces as '+', SignatureType= present and empty */
	const l = h.rawV1({ method: 'GET', action: 'DescribeSecurityGroups',
	    plus: true, set: { Format: 'JSON' }, params: [['RegionId', REGION],
		['SecurityGroupName', 'a b'], ['SignatureType', '']] });
	assert.match(l.query, /SecurityGroupName=a\+b/);
	assert.match(l.query, /(^|&)SignatureType=(&|$)/);
	ok(await h.send(srv.port, l));
	/* the empty SignatureType is signed: dropping it breaks the signature */
	const bad = { ...l, query: l.query.replace(/&?SignatureType=(?=&|$)/, '') };
	h.assertRawError(await h.send(srv.port, bad), 400,
	    'SignatureDoesNotMatch');
});

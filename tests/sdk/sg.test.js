'use strict';
/*
 * Security groups (ECS 2014-05-26, ecs-api.md §4.1-4.6, §4.13, §7.11-7.13)
 * through every official client: CreateSecurityGroup, DeleteSecurityGroup,
 * DescribeSecurityGroups (filters, tags, both paging styles),
 * DescribeSecurityGroupAttribute, ModifySecurityGroupAttribute,
 * ModifySecurityGroupPolicy, DescribeSecurityGroupReferences, TagResources,
 * UntagResources, ListTagResources — each error with its exact Code and
 * HTTP status (src/lib/err_list.h), name and description rules (§9.1),
 * enterprise groups, the per-region quota (a server with --sg-quota 3).
 * Rules: sg_rules.test.js; memberships: instances.test.js.
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const srv = h.useServer();
const D = h.ecsDrivers(srv);
const V3 = D['ecs20140526 tea V3'];
const POP = D['pop-core GET'];
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const DESC = "group (test) *!'~ 日本語の説明 & = % / + ?";

/* One group as DescribeSecurityGroups returns it (pop-core: the wire). */
async function readGroup(region, id) {
	const b = await POP.call('DescribeSecurityGroups', { RegionId: region,
	    SecurityGroupId: id });
	assert.equal(b.TotalCount, b.SecurityGroups.SecurityGroup.length);
	return b.SecurityGroups.SecurityGroup[0];
}

function sortTags(t) {
	return [...t].sort((a, b) => a.TagKey.localeCompare(b.TagKey));
}

for (const [name, d] of Object.entries(D)) {
	test(`group lifecycle via ${name}`, async () => {
		const region = 'cn-hangzhou';
		const { vpcId } = await h.makeVpc(srv.port, { region,
		    cidr: '10.1.0.0/16' });
		const c = await d.call('CreateSecurityGroup', { RegionId: region,
		    VpcId: vpcId, SecurityGroupName: 'web.tier:1_a-b',
		    Description: DESC, ResourceGroupId: 'rg-sdktest',
		    Tag: [{ Key: 'env', Value: 'prod' },
			{ Key: 'team', Value: 'sec ops' }] });
		assert.match(c.SecurityGroupId, /^sg-[0-9a-z]+$/);
		assert.equal(typeof c.RequestId, 'string');
		const id = c.SecurityGroupId;

		const g = await readGroup(region, id);
		assert.equal(g.SecurityGroupId, id);
		assert.equal(g.SecurityGroupName, 'web.tier:1_a-b');
		assert.equal(g.Description, DESC);
		assert.equal(g.VpcId, vpcId);
		assert.equal(g.SecurityGroupType, 'normal');
		assert.equal(g.ResourceGroupId, 'rg-sdktest');
		assert.equal(g.ServiceManaged, false);
		assert.equal(g.RuleCount, 0);
		assert.equal(g.GroupToGroupRuleCount, 0);
		assert.match(g.CreationTime, ISO);
		assert.ok(!('EcsCount' in g), 'EcsCount only with IsQueryEcsCount');
		assert.deepEqual(sortTags(g.Tags.Tag), [
		    { TagKey: 'env', TagValue: 'prod' },
		    { TagKey: 'team', TagValue: 'sec ops' }]);

		/* the same through the driver itself */
		const own = await d.call('DescribeSecurityGroups', {
		    RegionId: region, SecurityGroupId: id });
		assert.equal(own.SecurityGroups.SecurityGroup.length, 1);
		assert.equal(own.SecurityGroups.SecurityGroup[0].Description, DESC);

		const a = await d.call('DescribeSecurityGroupAttribute', {
		    RegionId: region, SecurityGroupId: id });
		assert.equal(a.SecurityGroupId, id);
		assert.equal(a.SecurityGroupName, 'web.tier:1_a-b');
		assert.equal(a.Description, DESC);
		assert.equal(a.VpcId, vpcId);
		assert.equal(a.RegionId, region);
		assert.equal(a.InnerAccessPolicy, 'Accept');
		assert.deepEqual(a.Permissions.Permission, []);

		await d.call('ModifySecurityGroupAttribute', { RegionId: region,
		    SecurityGroupId: id, SecurityGroupName: 'renamed' });
		let r = await readGroup(region, id);
		assert.equal(r.SecurityGroupName, 'renamed');
		assert.equal(r.Description, DESC, 'description kept');
		await d.call('ModifySecurityGroupAttribute', { RegionId: region,
		    SecurityGroupId: id, Description: 'new text' });
		r = await readGroup(region, id);
		assert.equal(r.SecurityGroupName, 'renamed', 'name kept');
		assert.equal(r.Description, 'new text');

		await d.call('ModifySecurityGroupPolicy', { RegionId: region,
		    SecurityGroupId: id, InnerAccessPolicy: 'dRoP' });
		let p = await POP.call('DescribeSecurityGroupAttribute', {
		    RegionId: region, SecurityGroupId: id });
		assert.equal(p.InnerAccessPolicy, 'Drop');
		await d.call('ModifySecurityGroupPolicy', { RegionId: region,
		    SecurityGroupId: id, InnerAccessPolicy: 'accept' });
		p = await POP.call('DescribeSecurityGroupAttribute', {
		    RegionId: region, SecurityGroupId: id });
		assert.equal(p.InnerAccessPolicy, 'Accept');

		const del = await d.call('DeleteSecurityGroup', { RegionId: region,
		    SecurityGroupId: id });
		assert.equal(typeof del.RequestId, 'string');
		assert.ok(!('Code' in del));
		const gone = await POP.call('DescribeSecurityGroups', {
		    RegionId: region, SecurityGroupId: id });
		assert.deepEqual(gone.SecurityGroups.SecurityGroup, []);
		assert.equal(gone.TotalCount, 0);
		for (const [act, extra] of [['DeleteSecurityGroup', {}],
		    ['DescribeSecurityGroupAttribute', {}],
		    ['ModifySecurityGroupAttribute', { SecurityGroupName: 'xx' }],
		    ['ModifySecurityGroupPolicy', { InnerAccessPolicy: 'Drop' }]])
			await d.fails(act, { RegionId: region, SecurityGroupId: id,
			    ...extra }, 404, 'InvalidSecurityGroupId.NotFound');
		await h.pop(srv.port, { version: h.VPC_VERSION }).get('DeleteVpc',
		    { VpcId: vpcId });
	});
}

test('classic and enterprise groups: type, network, policy', async () => {
	const region = 'cn-shanghai';
	const { vpcId } = await h.makeVpc(srv.port, { region,
	    cidr: '10.2.0.0/16' });
	const cl = (await V3.call('CreateSecurityGroup', { RegionId: region }))
	    .SecurityGroupId;
	let g = await readGroup(region, cl);
	assert.equal(g.VpcId, '');
	assert.equal(g.SecurityGroupName, '');
	assert.equal(g.Description, '');
	assert.equal(g.SecurityGroupType, 'normal');
	assert.deepEqual(g.Tags.Tag, []);

	const ent = (await V3.call('CreateSecurityGroup', { RegionId: region,
	    VpcId: vpcId, SecurityGroupType: 'enterprise',
	    SecurityGroupName: 'ent' })).SecurityGroupId;
	g = await readGroup(region, ent);
	assert.equal(g.SecurityGroupType, 'enterprise');
	assert.equal(g.VpcId, vpcId);
	const a = await POP.call('DescribeSecurityGroupAttribute', {
	    RegionId: region, SecurityGroupId: ent });
	assert.equal(a.InnerAccessPolicy, 'Drop', 'enterprise: Drop, fixed');
	for (const pol of ['Accept', 'Drop'])
		await V3.fails('ModifySecurityGroupPolicy', { RegionId: region,
		    SecurityGroupId: ent, InnerAccessPolicy: pol }, 400,
		    'InvalidParameter.InnerAccessPolicy');
	assert.equal((await POP.call('DescribeSecurityGroupAttribute', {
	    RegionId: region, SecurityGroupId: ent })).InnerAccessPolicy, 'Drop');

	/* enterprise groups exist in VPCs only (seed §1.6) */
	await V3.fails('CreateSecurityGroup', { RegionId: region,
	    SecurityGroupType: 'enterprise' }, 403, 'InvalidVpcId.NotFound');
	await POP.fails('CreateSecurityGroup', { RegionId: region,
	    SecurityGroupType: 'enterprise' }, 403, 'InvalidVpcId.NotFound');
	await V3.fails('CreateSecurityGroup', { RegionId: region,
	    SecurityGroupType: 'advanced', VpcId: vpcId }, 400,
	    'InvalidSecurityGroupType.Malformed');

	await V3.call('DeleteSecurityGroup', { RegionId: region,
	    SecurityGroupId: ent });
	await V3.call('DeleteSecurityGroup', { RegionId: region,
	    SecurityGroupId: cl });
	await h.pop(srv.port, { version: h.VPC_VERSION }).get('DeleteVpc',
	    { VpcId: vpcId });
});

test('group names and descriptions (§9.1) on create and modify', async () => {
	const region = 'cn-hangzhou';
	const badNames = ['a', 'x'.repeat(129), '1abc', '_abc', '-abc', '.abc',
	    ':abc', 'http://x', 'https://abc', 'HTTP://abc', 'a b', 'a/b', 'a@b',
	    'a,b', '中'];
	const goodNames = ['ab', 'x'.repeat(128), 'web.tier:1_a-b', '测试组',
	    'あ'.repeat(128), 'Zz9'];
	const badDescs = ['x', 'd'.repeat(257), 'http://example.com',
	    'https://x.y', 'HTTPS://x.y'];
	const goodDescs = ['ok', 'd'.repeat(256), '説'.repeat(256),
	    'see http://example.com'];
	const before = (await POP.call('DescribeSecurityGroups', {
	    RegionId: region, PageSize: 50 })).TotalCount;
	for (const d of [V3, POP]) {
		for (const n of badNames)
			await d.fails('CreateSecurityGroup', { RegionId: region,
			    SecurityGroupName: n }, 400,
			    'InvalidSecurityGroupName.Malformed');
		for (const x of badDescs)
			await d.fails('CreateSecurityGroup', { RegionId: region,
			    Description: x }, 400,
			    'InvalidSecurityGroupDiscription.Malformed');
	}
	assert.equal((await POP.call('DescribeSecurityGroups', {
	    RegionId: region, PageSize: 50 })).TotalCount, before,
	    'nothing created by refused requests');

	const ids = [];
	for (const n of goodNames) {
		const { SecurityGroupId: id } = await V3.call(
		    'CreateSecurityGroup', { RegionId: region,
		    SecurityGroupName: n });
		ids.push(id);
		assert.equal((await readGroup(region, id)).SecurityGroupName, n);
	}
	for (const x of goodDescs) {
		const { SecurityGroupId: id } = await POP.call(
		    'CreateSecurityGroup', { RegionId: region, Description: x });
		ids.push(id);
		assert.equal((await readGroup(region, id)).Description, x);
	}
	/* ModifySecurityGroupAttribute applies the same rules */
	const id = ids[0];
	for (const n of badNames)
		await V3.fails('ModifySecurityGroupAttribute', { RegionId: region,
		    SecurityGroupId: id, SecurityGroupName: n }, 400,
		    'InvalidSecurityGroupName.Malformed');
	for (const x of badDescs)
		await V3.fails('ModifySecurityGroupAttribute', { RegionId: region,
		    SecurityGroupId: id, Description: x }, 400,
		    'InvalidSecurityGroupDiscription.Malformed');
	assert.equal((await readGroup(region, id)).SecurityGroupName, 'ab');
	await V3.call('ModifySecurityGroupAttribute', { RegionId: region,
	    SecurityGroupId: id, SecurityGroupName: '名前.v2',
	    Description: '説明' });
	const g = await readGroup(region, id);
	assert.equal(g.SecurityGroupName, '名前.v2');
	assert.equal(g.Description, '説明');
	for (const x of ids)
		await V3.call('DeleteSecurityGroup', { RegionId: region,
		    SecurityGroupId: x });
});

test('CreateSecurityGroup: parameter errors', async () => {
	const t = (p) => ({ RegionId: 'cn-beijing', ...p });
	for (const d of [V3, POP]) {
		let e = await d.fails('CreateSecurityGroup', {}, 400,
		    'MissingParameter');
		assert.match(e.Message, /"RegionId"/);
		await d.fails('CreateSecurityGroup', { RegionId: 'xx-nowhere-1' },
		    404, 'InvalidRegionId.NotFound');
		await d.fails('CreateSecurityGroup', t({
		    VpcId: 'vpc-doesnotexist000000' }), 404,
		    'InvalidVpcId.NotFound');
		await d.fails('CreateSecurityGroup', t({
		    Tag: [{ Key: 'aliyun-x', Value: 'v' }] }), 400,
		    'InvalidTagKey.Malformed');
		await d.fails('CreateSecurityGroup', t({
		    Tag: [{ Key: 'acs:x', Value: 'v' }] }), 400,
		    'InvalidTagKey.Malformed');
		await d.fails('CreateSecurityGroup', t({
		    Tag: [{ Key: 'k'.repeat(129), Value: 'v' }] }), 400,
		    'InvalidTagKey.Malformed');
		await d.fails('CreateSecurityGroup', t({
		    Tag: [{ Key: 'k', Value: 'see http://x' }] }), 400,
		    'InvalidTagValue.Malformed');
		await d.fails('CreateSecurityGroup', t({
		    Tag: [{ Key: 'k', Value: 'v'.repeat(129) }] }), 400,
		    'InvalidTagValue.Malformed');
		await d.fails('CreateSecurityGroup', t({
		    Tag: [{ Key: 'k', Value: '1' }, { Key: 'k', Value: '2' }] }),
		    400, 'Duplicate.TagKey');
		await d.fails('CreateSecurityGroup', t({
		    Tag: Array.from({ length: 21 }, (_, i) =>
			({ Key: `k${i}`, Value: 'v' })) }), 400,
		    'NumberExceed.Tags');
		await d.fails('CreateSecurityGroup', t({
		    ClientToken: 'x'.repeat(65) }), 400,
		    'InvalidClientToken.Malformed');
	}
	/* a VPC of another region is not found */
	const { vpcId } = await h.makeVpc(srv.port, { region: 'cn-shanghai',
	    cidr: '10.3.0.0/16' });
	await V3.fails('CreateSecurityGroup', t({ VpcId: vpcId }), 404,
	    'InvalidVpcId.NotFound');
	/* 128-character keys and values, an empty value: fine */
	const tags = [{ Key: '鍵'.repeat(128), Value: '値'.repeat(128) },
	    { Key: 'empty', Value: '' }];
	const { SecurityGroupId: id } = await V3.call('CreateSecurityGroup',
	    t({ Tag: tags }));
	const g = await readGroup('cn-beijing', id);
	assert.deepEqual(sortTags(g.Tags.Tag), sortTags(tags.map((x) => ({
	    TagKey: x.Key, TagValue: x.Value }))));
	await V3.call('DeleteSecurityGroup', { RegionId: 'cn-beijing',
	    SecurityGroupId: id });
	for (const d of [V3, POP]) {
		let e = await d.fails('DeleteSecurityGroup', {
		    SecurityGroupId: id }, 400, 'MissingParameter');
		assert.match(e.Message, /"RegionId"/);
		e = await d.fails('DeleteSecurityGroup', { RegionId: 'cn-beijing' },
		    400, 'MissingParameter');
		assert.match(e.Message, /"SecurityGroupId"/);
	}
});

/* Twenty tags k0..k19 (the documented maximum of Tag.N). */
const TWENTY = Array.from({ length: 20 }, (_, i) => ({ Key: `k${i}`,
    Value: `v${i}` }));

test('Tag.N: twenty tags are all kept (create, TagResources, filters)',
    async () => {
	const region = 'cn-beijing';
	const want = sortTags(TWENTY.map((x) => ({ TagKey: x.Key,
	    TagValue: x.Value })));
	const ids = [];
	try {
		await twentyTags(region, want, ids);
	} finally {
		for (const id of ids)
			await V3.call('DeleteSecurityGroup', { RegionId: region,
			    SecurityGroupId: id });
	}
});

async function twentyTags(region, want, ids) {
	for (const d of Object.values(D)) {
		const { SecurityGroupId: id } = await d.call('CreateSecurityGroup',
		    { RegionId: region, Tag: TWENTY });
		ids.push(id);
		assert.deepEqual(sortTags((await readGroup(region, id)).Tags.Tag),
		    want, 'CreateSecurityGroup keeps 20 tags');
	}
	const { SecurityGroupId: b } = await V3.call('CreateSecurityGroup', {
	    RegionId: region });
	ids.push(b);
	await POP.call('TagResources', { RegionId: region,
	    ResourceType: 'securitygroup', ResourceId: [b], Tag: TWENTY });
	assert.deepEqual(sortTags((await readGroup(region, b)).Tags.Tag), want,
	    'TagResources adds 20 tags');
	/* the filter needs every tag given */
	const f = await POP.call('DescribeSecurityGroups', { RegionId: region,
	    Tag: [...TWENTY.slice(0, 19), { Key: 'k19', Value: 'other' }] });
	assert.deepEqual(f.SecurityGroups.SecurityGroup, [],
	    'the 20th filter tag counts');
	/* 1 + 20 tags: past the 20 per resource */
	const { SecurityGroupId: c } = await V3.call('CreateSecurityGroup', {
	    RegionId: region, Tag: [{ Key: 'pre', Value: 'x' }] });
	ids.push(c);
	await V3.fails('TagResources', { RegionId: region,
	    ResourceType: 'securitygroup', ResourceId: [c], Tag: TWENTY }, 400,
	    'OperationDenied.QuotaExceed');
}

test('a long query through the V3 client (all parameters in the URL)',
    async () => {
	/* Valid by every documented limit; Tea V3 puts it all in the query. */
	const region = 'cn-beijing';
	const tags = Array.from({ length: 20 }, (_, i) => ({
	    Key: `${'鍵'.repeat(125)}${String(i).padStart(3, '0')}`,
	    Value: '値'.repeat(128) }));
	const { SecurityGroupId: id } = await V3.call('CreateSecurityGroup', {
	    RegionId: region, Tag: tags });
	const perms = Array.from({ length: 100 }, (_, i) => ({
	    IpProtocol: 'tcp', PortRange: `${i + 1}/${i + 1}`,
	    SourceCidrIp: '10.0.0.0/8', Description: 'd'.repeat(512) }));
	await V3.call('AuthorizeSecurityGroup', { RegionId: region,
	    SecurityGroupId: id, Permissions: perms });
	const a = await POP.call('DescribeSecurityGroupAttribute', {
	    RegionId: region, SecurityGroupId: id });
	assert.equal(a.Permissions.Permission.length, 100);
	await V3.call('DeleteSecurityGroup', { RegionId: region,
	    SecurityGroupId: id });
});

test('ModifySecurityGroupPolicy and DescribeSecurityGroupAttribute errors',
    async () => {
	const region = 'cn-hangzhou';
	const { SecurityGroupId: id } = await V3.call('CreateSecurityGroup',
	    { RegionId: region });
	for (const d of [V3, POP]) {
		await d.fails('ModifySecurityGroupPolicy', { RegionId: region,
		    SecurityGroupId: id, InnerAccessPolicy: 'allow' }, 400,
		    'InvalidPolicy.Malformed');
		const e = await d.fails('ModifySecurityGroupPolicy', {
		    RegionId: region, SecurityGroupId: id }, 400,
		    'MissingParameter');
		assert.match(e.Message, /"InnerAccessPolicy"/);
		await d.fails('DescribeSecurityGroupAttribute', { RegionId: region,
		    SecurityGroupId: id, Direction: 'inbound' }, 400,
		    'InvalidParameter');
		await d.fails('DescribeSecurityGroupAttribute', { RegionId: region,
		    SecurityGroupId: id, NicType: 'wan' }, 400,
		    'InvalidNicType.ValueNotSupported');
		await d.fails('DescribeSecurityGroupAttribute', { RegionId: region,
		    SecurityGroupId: id, MaxResults: 9 }, 400, 'InvalidParameter');
		await d.fails('DescribeSecurityGroupAttribute', { RegionId: region,
		    SecurityGroupId: id, MaxResults: 1001 }, 400,
		    'InvalidParameter');
		await d.fails('DescribeSecurityGroupAttribute', { RegionId: region,
		    SecurityGroupId: id, NextToken: 'garbage' }, 400,
		    'InvalidParameter');
		/* a group is not visible from another region */
		await d.fails('DescribeSecurityGroupAttribute', {
		    RegionId: 'cn-beijing', SecurityGroupId: id }, 404,
		    'InvalidSecurityGroupId.NotFound');
		await d.fails('DeleteSecurityGroup', { RegionId: 'cn-beijing',
		    SecurityGroupId: id }, 404, 'InvalidSecurityGroupId.NotFound');
	}
	/* ClientToken on ModifySecurityGroupPolicy: replay is harmless */
	const p = { RegionId: region, SecurityGroupId: id,
	    InnerAccessPolicy: 'Drop', ClientToken: `pol-${h.nonce()}` };
	await V3.call('ModifySecurityGroupPolicy', p);
	await POP.call('ModifySecurityGroupPolicy', p);
	await V3.fails('ModifySecurityGroupPolicy', { ...p,
	    InnerAccessPolicy: 'Accept' }, 400, 'IdempotentParameterMismatch');
	assert.equal((await POP.call('DescribeSecurityGroupAttribute', {
	    RegionId: region, SecurityGroupId: id })).InnerAccessPolicy, 'Drop');
	/* snapshotPolicyIds attribute: an empty wrapped list */
	const s = await POP.call('DescribeSecurityGroupAttribute', {
	    RegionId: region, SecurityGroupId: id,
	    Attribute: 'snapshotPolicyIds' });
	assert.deepEqual(s.SnapshotPolicyIds, { SnapshotPolicyId: [] });
	await V3.call('DeleteSecurityGroup', { RegionId: region,
	    SecurityGroupId: id });
});

test('CreateSecurityGroup ClientToken: same group, mismatch refused',
    async () => {
	const region = 'cn-hangzhou';
	const token = `TF-CreateSecurityGroup-${Date.now()}-${h.nonce()}`
	    .slice(0, 64);
	const p = { RegionId: region, SecurityGroupName: 'idem',
	    ClientToken: token };
	const a = await V3.call('CreateSecurityGroup', p);
	const b = await POP.call('CreateSecurityGroup', p);
	const c = await D['ecs20140526 tea V1'].call('CreateSecurityGroup', p);
	assert.equal(b.SecurityGroupId, a.SecurityGroupId);
	assert.equal(c.SecurityGroupId, a.SecurityGroupId);
	assert.notEqual(b.RequestId, a.RequestId);
	const list = await POP.call('DescribeSecurityGroups', { RegionId: region,
	    SecurityGroupName: 'idem' });
	assert.equal(list.TotalCount, 1, 'one group for three calls');
	await V3.fails('CreateSecurityGroup', { ...p, SecurityGroupName: 'idem2' },
	    400, 'IdempotentParameterMismatch');
	await V3.call('DeleteSecurityGroup', { RegionId: region,
	    SecurityGroupId: a.SecurityGroupId });
});

test('DescribeSecurityGroups filters, IsQueryEcsCount, DryRun', async () => {
	const region = 'cn-beijing';
	const { vpcId } = await h.makeVpc(srv.port, { region,
	    cidr: '10.4.0.0/16' });
	const { vpcId: vpc2 } = await h.makeVpc(srv.port, { region,
	    cidr: '10.5.0.0/16' });
	const mk = async (p) => (await V3.call('CreateSecurityGroup', {
	    RegionId: region, ...p })).SecurityGroupId;
	const a = await mk({ VpcId: vpcId, SecurityGroupName: 'flt-a',
	    ResourceGroupId: 'rg-a', Tag: [{ Key: 'env', Value: 'prod' },
		{ Key: 'tier', Value: 'web' }] });
	const b = await mk({ VpcId: vpcId, SecurityGroupName: 'flt-b',
	    SecurityGroupType: 'enterprise', Tag: [{ Key: 'env',
		Value: 'dev' }] });
	const c = await mk({ SecurityGroupName: 'flt-c' });
	const e = await mk({ VpcId: vpc2, SecurityGroupName: 'flt-e' });
	/* other tests' groups of the region are left out */
	const mine = new Set([a, b, c, e]);
	const ids = async (p) => (await POP.call('DescribeSecurityGroups', {
	    RegionId: region, PageSize: 50, ...p })).SecurityGroups.SecurityGroup
	    .map((g) => g.SecurityGroupId).filter((x) => mine.has(x)).sort();
	const S = (...x) => x.sort();
	assert.deepEqual(await ids({}), S(a, b, c, e));
	assert.deepEqual(await ids({ VpcId: vpcId }), S(a, b));
	assert.deepEqual(await ids({ NetworkType: 'vpc' }), S(a, b, e));
	assert.deepEqual(await ids({ NetworkType: 'classic' }), [c]);
	assert.deepEqual(await ids({ SecurityGroupType: 'enterprise' }), [b]);
	assert.deepEqual(await ids({ SecurityGroupType: 'normal' }), S(a, c, e));
	assert.deepEqual(await ids({ SecurityGroupName: 'flt-c' }), [c]);
	assert.deepEqual(await ids({ SecurityGroupName: 'flt' }), [],
	    'names match exactly');
	assert.deepEqual(await ids({ ResourceGroupId: 'rg-a' }), [a]);
	assert.deepEqual(await ids({ SecurityGroupId: e }), [e]);
	assert.deepEqual(await ids({ SecurityGroupIds: JSON.stringify([a, c,
	    'sg-doesnotexist00000']) }), S(a, c));
	assert.deepEqual(await ids({ Tag: [{ Key: 'env' }] }), S(a, b));
	assert.deepEqual(await ids({ Tag: [{ Key: 'env', Value: 'prod' }] }), [a]);
	assert.deepEqual(await ids({ Tag: [{ Key: 'env', Value: 'prod' },
	    { Key: 'tier', Value: 'web' }] }), [a]);
	assert.deepEqual(await ids({ Tag: [{ Key: 'env', Value: 'dev' },
	    { Key: 'tier', Value: 'web' }] }), []);
	assert.deepEqual(await ids({ VpcId: vpcId, SecurityGroupType: 'normal' }),
	    [a]);
	/* the Tea clients send the same filters */
	const t = await V3.call('DescribeSecurityGroups', { RegionId: region,
	    SecurityGroupIds: JSON.stringify([b]), Tag: [{ Key: 'env',
		Value: 'dev' }] });
	assert.deepEqual(t.SecurityGroups.SecurityGroup.map((g) =>
	    g.SecurityGroupId), [b]);

	/* capacity: members and what is left (seed §1.2 limits) */
	const q = await POP.call('DescribeSecurityGroups', { RegionId: region,
	    IsQueryEcsCount: true });
	const by = Object.fromEntries(q.SecurityGroups.SecurityGroup.map((g) =>
	    [g.SecurityGroupId, g]));
	assert.equal(by[a].EcsCount, 0);
	assert.equal(by[a].AvailableInstanceAmount, 2000, 'VPC basic: 2000 IPs');
	assert.equal(by[b].AvailableInstanceAmount, 50000, 'enterprise: 50000');
	assert.equal(by[c].AvailableInstanceAmount, 1000, 'classic: 1000');

	await V3.fails('DescribeSecurityGroups', { RegionId: region,
	    DryRun: true }, 400, 'DryRunOperation');
	await POP.fails('DescribeSecurityGroups', {}, 400, 'MissingParameter');
	await POP.fails('DescribeSecurityGroups', { RegionId: 'nowhere-1' }, 404,
	    'InvalidRegionId.NotFound');
	await V3.fails('DescribeSecurityGroups', { RegionId: region,
	    SecurityGroupIds: JSON.stringify(Array.from({ length: 101 },
		(_, i) => `sg-x${i}`)) }, 400, 'InvalidParameter');
	for (const bad of ['not json', '{"a":1}', '[1,2]', `${a}`])
		await POP.fails('DescribeSecurityGroups', { RegionId: region,
		    SecurityGroupIds: bad }, 400, 'InvalidParameter');
	for (const x of [a, b, c, e])
		await V3.call('DeleteSecurityGroup', { RegionId: region,
		    SecurityGroupId: x });
});

test('DescribeSecurityGroups paging: PageNumber/PageSize and NextToken/MaxResults',
    async () => {
	const region = 'ap-northeast-1';
	const made = [];
	for (let i = 0; i < 5; i++)
		made.push((await POP.call('CreateSecurityGroup', {
		    RegionId: region, SecurityGroupName: `page-${i}` }))
		    .SecurityGroupId);
	const seen = [];
	for (const [n, len] of [[1, 2], [2, 2], [3, 1], [4, 0]]) {
		const b = await POP.call('DescribeSecurityGroups', {
		    RegionId: region, PageSize: 2, PageNumber: n });
		assert.equal(b.TotalCount, 5);
		assert.equal(b.PageNumber, n);
		assert.equal(b.PageSize, 2);
		assert.ok(!('NextToken' in b) || b.NextToken === '');
		assert.equal(b.SecurityGroups.SecurityGroup.length, len);
		seen.push(...b.SecurityGroups.SecurityGroup.map((g) =>
		    g.SecurityGroupId));
	}
	assert.deepEqual([...seen].sort(), [...made].sort());
	let b = await POP.call('DescribeSecurityGroups', { RegionId: region });
	assert.equal(b.PageSize, 10);
	assert.equal(b.PageNumber, 1);

	/* token mode: no TotalCount, the token chains, "" at the end */
	for (const d of [POP, V3, D['ecs20140526 tea V1']]) {
		const got = [];
		let tok;
		let pages = 0;
		do {
			b = await d.call('DescribeSecurityGroups', { RegionId: region,
			    MaxResults: 2, ...(tok ? { NextToken: tok } : {}) });
			assert.ok(b.TotalCount === undefined || b.TotalCount === null,
			    'no TotalCount with MaxResults');
			got.push(...b.SecurityGroups.SecurityGroup.map((g) =>
			    g.SecurityGroupId));
			tok = b.NextToken;
			pages++;
		} while (tok);
		assert.equal(pages, 3);
		assert.deepEqual(got, seen, 'same order as the page mode');
	}
	b = await POP.call('DescribeSecurityGroups', { RegionId: region,
	    MaxResults: 100 });
	assert.equal(b.SecurityGroups.SecurityGroup.length, 5);
	assert.equal(b.NextToken, '');

	for (const [k, v] of [['PageSize', 51], ['PageSize', 0],
	    ['PageNumber', 0], ['MaxResults', 101], ['MaxResults', 0],
	    ['NextToken', 'garbage']])
		await V3.fails('DescribeSecurityGroups', { RegionId: region,
		    [k]: v }, 400, 'InvalidParameter');
	for (const id of made)
		await V3.call('DeleteSecurityGroup', { RegionId: region,
		    SecurityGroupId: id });
});

test('DescribeSecurityGroupReferences and DeleteSecurityGroup of a referenced group',
    async () => {
	const region = 'cn-shanghai';
	const account = h.rootAccount(srv.srv);
	const { vpcId } = await h.makeVpc(srv.port, { region,
	    cidr: '10.6.0.0/16' });
	const mk = async (n) => (await V3.call('CreateSecurityGroup', {
	    RegionId: region, VpcId: vpcId, SecurityGroupName: n }))
	    .SecurityGroupId;
	const [a, b, c] = [await mk('ref-a'), await mk('ref-b'),
	    await mk('ref-c')];
	await V3.call('AuthorizeSecurityGroup', { RegionId: region,
	    SecurityGroupId: a, Permissions: [
		{ IpProtocol: 'tcp', PortRange: '22/22', SourceGroupId: b },
		{ IpProtocol: 'tcp', PortRange: '80/80', SourceGroupId: b }] });
	await V3.call('AuthorizeSecurityGroupEgress', { RegionId: region,
	    SecurityGroupId: c, Permissions: [{ IpProtocol: 'all',
		DestGroupId: b }] });
	for (const d of [V3, POP, D['ecs20140526 tea V1']]) {
		const r = await d.call('DescribeSecurityGroupReferences', {
		    RegionId: region, SecurityGroupId: [b, a] });
		const refs = r.SecurityGroupReferences.SecurityGroupReference;
		assert.equal(refs.length, 2);
		assert.equal(refs[0].SecurityGroupId, b);
		const rb = refs[0].ReferencingSecurityGroups
		    .ReferencingSecurityGroup;
		assert.deepEqual([...rb].sort((x, y) =>
		    x.SecurityGroupId.localeCompare(y.SecurityGroupId)),
		    [{ AliUid: account, SecurityGroupId: a },
			{ AliUid: account, SecurityGroupId: c }].sort((x, y) =>
			x.SecurityGroupId.localeCompare(y.SecurityGroupId)),
		    'each referencing group once');
		assert.equal(refs[1].SecurityGroupId, a);
		assert.deepEqual(refs[1].ReferencingSecurityGroups
		    .ReferencingSecurityGroup, []);
	}
	let g = await readGroup(region, a);
	assert.equal(g.RuleCount, 2);
	assert.equal(g.GroupToGroupRuleCount, 2);

	/* referenced: DependencyViolation 403 (Terraform retries on it) */
	for (const d of [V3, POP]) {
		const e = await d.fails('DeleteSecurityGroup', { RegionId: region,
		    SecurityGroupId: b }, 403, 'DependencyViolation');
		assert.match(e.Message, /authorized in another/);
	}
	/* the referencing groups themselves can go; then b can */
	await V3.call('RevokeSecurityGroup', { RegionId: region,
	    SecurityGroupId: a, Permissions: [{ IpProtocol: 'tcp',
		PortRange: '22/22', SourceGroupId: b }] });
	await V3.fails('DeleteSecurityGroup', { RegionId: region,
	    SecurityGroupId: b }, 403, 'DependencyViolation');
	await V3.call('DeleteSecurityGroup', { RegionId: region,
	    SecurityGroupId: c });
	let r = await POP.call('DescribeSecurityGroupReferences', {
	    RegionId: region, SecurityGroupId: [b] });
	assert.deepEqual(r.SecurityGroupReferences.SecurityGroupReference[0]
	    .ReferencingSecurityGroups.ReferencingSecurityGroup,
	    [{ AliUid: account, SecurityGroupId: a }]);
	g = await readGroup(region, a);
	assert.equal(g.GroupToGroupRuleCount, 1);
	await V3.call('RevokeSecurityGroup', { RegionId: region,
	    SecurityGroupId: a, Permissions: [{ IpProtocol: 'tcp',
		PortRange: '80/80', SourceGroupId: b }] });
	r = await POP.call('DescribeSecurityGroupReferences', {
	    RegionId: region, SecurityGroupId: [b] });
	assert.deepEqual(r.SecurityGroupReferences.SecurityGroupReference[0]
	    .ReferencingSecurityGroups.ReferencingSecurityGroup, []);
	await V3.call('DeleteSecurityGroup', { RegionId: region,
	    SecurityGroupId: b });

	/* a group that references others can always be deleted */
	await V3.call('AuthorizeSecurityGroup', { RegionId: region,
	    SecurityGroupId: a, Permissions: [{ IpProtocol: 'icmp',
		SourceGroupId: await mk('ref-d') }] });
	await V3.call('DeleteSecurityGroup', { RegionId: region,
	    SecurityGroupId: a });

	for (const d of [V3, POP]) {
		await d.fails('DescribeSecurityGroupReferences', {
		    RegionId: region }, 400, 'InvalidSecurityGroupId.Malformed');
		await d.fails('DescribeSecurityGroupReferences', {
		    RegionId: region, SecurityGroupId: Array.from({ length: 11 },
			(_, i) => `sg-x${i}`) }, 400,
		    'InvalidSecurityGroupId.Malformed');
		await d.fails('DescribeSecurityGroupReferences', {
		    RegionId: region, SecurityGroupId: ['sg-doesnotexist0000'] },
		    404, 'InvalidSecurityGroupId.NotFound');
		await d.fails('DescribeSecurityGroupReferences', {
		    RegionId: region, SecurityGroupId: [a] }, 404,
		    'InvalidSecurityGroupId.NotFound');
	}
});

test('TagResources, UntagResources, ListTagResources on groups', async () => {
	const region = 'cn-hangzhou';
	const T = 'securitygroup';
	const mk = async (p = {}) => (await V3.call('CreateSecurityGroup', {
	    RegionId: region, ...p })).SecurityGroupId;
	const a = await mk({ Tag: [{ Key: 'pre', Value: 'x' }] });
	const b = await mk();
	const list = async (d, p) => (await d.call('ListTagResources', {
	    RegionId: region, ResourceType: T, ...p })).TagResources.TagResource
	    .map((x) => `${x.ResourceId}:${x.ResourceType}:${x.TagKey}=` +
		x.TagValue).sort();

	for (const d of [V3, POP, D['ecs20140526 tea V1'],
	    D['ecs20140526@4 (openapi-client)']]) {
		await d.call('TagResources', { RegionId: region, ResourceType: T,
		    ResourceId: [a, b], Tag: [{ Key: 'env', Value: 'prod' },
			{ Key: 'owner', Value: 'sec ops' }] });
		assert.deepEqual(await list(d, { ResourceId: [a, b] }), [
		    `${a}:${T}:env=prod`, `${a}:${T}:owner=sec ops`,
		    `${a}:${T}:pre=x`, `${b}:${T}:env=prod`,
		    `${b}:${T}:owner=sec ops`].sort());
		/* overwrite a value */
		await d.call('TagResources', { RegionId: region, ResourceType: T,
		    ResourceId: [b], Tag: [{ Key: 'env', Value: 'dev' }] });
		assert.deepEqual(await list(d, { Tag: [{ Key: 'env',
		    Value: 'dev' }] }), [`${b}:${T}:env=dev`,
		    `${b}:${T}:owner=sec ops`]);
		/* DescribeSecurityGroups sees the same tags */
		const g = await readGroup(region, b);
		assert.deepEqual(sortTags(g.Tags.Tag), [
		    { TagKey: 'env', TagValue: 'dev' },
		    { TagKey: 'owner', TagValue: 'sec ops' }]);
		await d.call('UntagResources', { RegionId: region,
		    ResourceType: T, ResourceId: [a, b], TagKey: ['owner',
			'nosuchkey'] });
		assert.deepEqual(await list(d, { ResourceId: [a, b] }), [
		    `${a}:${T}:env=prod`, `${a}:${T}:pre=x`,
		    `${b}:${T}:env=dev`].sort());
		await d.call('UntagResources', { RegionId: region,
		    ResourceType: T, ResourceId: [b], All: true });
		assert.deepEqual(await list(d, { ResourceId: [b] }), []);
		await d.call('UntagResources', { RegionId: region,
		    ResourceType: T, ResourceId: [a], TagKey: ['env'] });
		assert.deepEqual(await list(d, { ResourceId: [a] }),
		    [`${a}:${T}:pre=x`]);
	}

	for (const d of [V3, POP]) {
		await d.fails('TagResources', { RegionId: region, ResourceId: [a],
		    Tag: [{ Key: 'k', Value: 'v' }] }, 404,
		    'MissingParameter.ResourceType');
		await d.fails('TagResources', { RegionId: region,
		    ResourceType: 'disk', ResourceId: [a], Tag: [{ Key: 'k',
			Value: 'v' }] }, 404, 'InvalidResourceType.NotFound');
		await d.fails('TagResources', { RegionId: region, ResourceType: T,
		    ResourceId: [a] }, 404, 'MissingParameter.Tags');
		await d.fails('TagResources', { RegionId: region, ResourceType: T,
		    ResourceId: [a, 'sg-doesnotexist0000'], Tag: [{ Key: 'k',
			Value: 'v' }] }, 404, 'InvalidResourceId.NotFound');
		await d.fails('TagResources', { RegionId: 'cn-beijing',
		    ResourceType: T, ResourceId: [a], Tag: [{ Key: 'k',
			Value: 'v' }] }, 404, 'InvalidResourceId.NotFound');
		await d.fails('TagResources', { RegionId: region, ResourceType: T,
		    ResourceId: [a], Tag: [{ Key: 'aliyun', Value: 'v' }] }, 400,
		    'InvalidTagKey.Malformed');
		await d.fails('TagResources', { RegionId: region, ResourceType: T,
		    ResourceId: [a], Tag: [{ Key: 'k', Value: 'v' },
			{ Key: 'k', Value: 'w' }] }, 400, 'Duplicate.TagKey');
		await d.fails('TagResources', { RegionId: region, ResourceType: T,
		    ResourceId: Array.from({ length: 51 }, () => a),
		    Tag: [{ Key: 'k', Value: 'v' }] }, 400,
		    'NumberExceed.ResourceIds');
		await d.fails('TagResources', { RegionId: region, ResourceType: T,
		    ResourceId: [a], Tag: Array.from({ length: 21 }, (_, i) =>
			({ Key: `k${i}`, Value: 'v' })) }, 400,
		    'NumberExceed.Tags');
		await d.fails('UntagResources', { RegionId: region,
		    ResourceType: T, ResourceId: ['sg-doesnotexist0000'],
		    TagKey: ['k'] }, 404, 'InvalidResourceId.NotFound');
		await d.fails('UntagResources', { RegionId: region,
		    ResourceId: [a], TagKey: ['k'] }, 404,
		    'MissingParameter.ResourceType');
		await d.fails('ListTagResources', { RegionId: region,
		    ResourceType: T }, 400, 'MissingParameter');
	}
	assert.deepEqual(await list(POP, { ResourceId: [a] }),
	    [`${a}:${T}:pre=x`], 'refused requests changed nothing');
	/* 20 tags per resource (added 5 at a time: see the Tag.N test) */
	for (let k = 0; k < 19; k += 5)
		await POP.call('TagResources', { RegionId: region,
		    ResourceType: T, ResourceId: [a], Tag: Array.from({
			length: Math.min(5, 19 - k) }, (_, i) => ({
			Key: `k${k + i}`, Value: 'v' })) });
	assert.equal((await list(POP, { ResourceId: [a] })).length, 20);
	await V3.fails('TagResources', { RegionId: region, ResourceType: T,
	    ResourceId: [a], Tag: [{ Key: 'one-more', Value: 'v' }] }, 400,
	    'OperationDenied.QuotaExceed');
	assert.equal((await list(POP, { ResourceId: [a] })).length, 20);
	/* overwriting a value at 20 is fine */
	await V3.call('TagResources', { RegionId: region, ResourceType: T,
	    ResourceId: [a], Tag: [{ Key: 'k0', Value: 'new' }] });

	/* ListTagResources pages by 50 pairs with NextToken */
	const many = [];
	for (let i = 0; i < 3; i++) {
		const id = await mk();
		many.push(id);
		for (let k = 0; k < 20; k += 5)
			await POP.call('TagResources', { RegionId: region,
			    ResourceType: T, ResourceId: [id], Tag: Array.from({
				length: 5 }, (_, j) => ({ Key: `page${k + j}`,
				Value: `v${i}` })) });
	}
	const pairs = [];
	let tok;
	let pages = 0;
	do {
		const r = await POP.call('ListTagResources', { RegionId: region,
		    ResourceType: T, Tag: [{ Key: 'page0' }],
		    ...(tok ? { NextToken: tok } : {}) });
		pairs.push(...r.TagResources.TagResource);
		tok = r.NextToken;
		pages++;
	} while (tok);
	assert.equal(pages, 2);
	assert.equal(pairs.length, 60);
	assert.equal(new Set(pairs.map((x) => `${x.ResourceId}/${x.TagKey}`))
	    .size, 60);
	for (const id of [a, b, ...many])
		await V3.call('DeleteSecurityGroup', { RegionId: region,
		    SecurityGroupId: id });
});

test('groups per region quota (fresh server, --sg-quota 3)', async () => {
	const s = await h.startServer(['--sg-quota', '3']);
	try {
		const d = h.ecsDrivers(s.port);
		const t = d['ecs20140526 tea V3'];
		const p = d['pop-core GET'];
		const { vpcId } = await h.makeVpc(s.port);
		const ids = [];
		ids.push((await t.call('CreateSecurityGroup', {
		    RegionId: 'cn-hangzhou' })).SecurityGroupId);
		ids.push((await t.call('CreateSecurityGroup', {
		    RegionId: 'cn-hangzhou', VpcId: vpcId })).SecurityGroupId);
		ids.push((await p.call('CreateSecurityGroup', {
		    RegionId: 'cn-hangzhou', VpcId: vpcId,
		    SecurityGroupType: 'enterprise' })).SecurityGroupId);
		const e = await t.fails('CreateSecurityGroup', {
		    RegionId: 'cn-hangzhou' }, 403, 'QuotaExceed.SecurityGroup');
		assert.match(e.Message, /maximum number of security groups/);
		await p.fails('CreateSecurityGroup', { RegionId: 'cn-hangzhou',
		    VpcId: vpcId }, 403, 'QuotaExceed.SecurityGroup');
		/* per region */
		await t.call('CreateSecurityGroup', { RegionId: 'cn-shanghai' });
		const n = await p.call('DescribeSecurityGroups', {
		    RegionId: 'cn-hangzhou' });
		assert.equal(n.TotalCount, 3);
		/* a deleted group frees its slot */
		await t.call('DeleteSecurityGroup', { RegionId: 'cn-hangzhou',
		    SecurityGroupId: ids[0] });
		await t.call('CreateSecurityGroup', { RegionId: 'cn-hangzhou' });
		await t.fails('CreateSecurityGroup', { RegionId: 'cn-hangzhou' },
		    403, 'QuotaExceed.SecurityGroup');
	} finally {
		await h.stopServer(s);
	}
});

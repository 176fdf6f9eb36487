'use strict';
/*
 * VPC 2016-04-28 (ecs-api.md §8): CreateVpc, DescribeVpcs, DeleteVpc,
 * CreateVSwitch, DescribeVSwitches, DeleteVSwitch through the official
 * vpc20160428 client (V3, and V1 via signatureAlgorithm 'v2') and pop-core
 * (V1, GET and POST). Error codes are the ones in src/lib/err_list.h.
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const srv = h.useServer();

const DESC = "vpc (test) *!'~ 日本語の説明 & = % / + ?";
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?Z$/;

function lc(s) {
	return s[0].toLowerCase() + s.slice(1);
}

/* Wire-style params -> Tea model fields (Tag: [{Key, Value}] included). */
function camel(v) {
	if (Array.isArray(v))
		return v.map(camel);
	if (v && typeof v === 'object') {
		const o = {};
		for (const [k, x] of Object.entries(v))
			o[lc(k)] = camel(x);
		return o;
	}
	return v;
}

/* Calls an action through the generated Tea method; returns the wire body. */
async function tea(client, action, params) {
	const Req = h.Vpc[`${action}Request`];
	assert.ok(Req, `vpc20160428 has ${action}Request`);
	const r = await client[lc(action)](new Req(camel(params)));
	assert.equal(r.statusCode, 200);
	return r.body.toMap();
}

/*
 * The two main drivers. Each: call(action, params) -> wire JSON body;
 * fails(action, params, status, code) -> the error body. pop-core does not
 * expose the HTTP status; the Tea driver checks it.
 */
const drivers = {
	'vpc20160428 tea V3': {
		region: 'cn-hangzhou',
		call: (a, p) => tea(h.vpcV3(srv.port), a, p),
		fails: async (a, p, st, code) => (await h.teaRejects(
		    tea(h.vpcV3(srv.port), a, p), st, code)).data,
	},
	'pop-core V1 (GET)': {
		region: 'cn-shanghai',
		call: (a, p) => h.pop(srv.port, { version: h.VPC_VERSION }).get(a, p),
		fails: async (a, p, st, code) => (await h.popRejects(
		    h.pop(srv.port, { version: h.VPC_VERSION }).get(a, p), code)).data,
	},
};

/* Zones of a region, from ECS DescribeZones. */
async function zonesOf(port, region) {
	const b = await h.pop(port).get('DescribeZones', { RegionId: region });
	return b.Zones.Zone.map((z) => z.ZoneId);
}

function assertPage(b, listKey, itemKey, total, number, size, n) {
	assert.equal(typeof b.RequestId, 'string');
	assert.ok(!('Code' in b), 'no Code in a success body');
	assert.equal(b.TotalCount, total, 'TotalCount');
	assert.equal(b.PageNumber, number, 'PageNumber');
	assert.equal(b.PageSize, size, 'PageSize');
	assert.ok(b[listKey] && Array.isArray(b[listKey][itemKey]),
	    `${listKey}.${itemKey} is an array`);
	assert.equal(b[listKey][itemKey].length, n, `${listKey}.${itemKey} length`);
	return b[listKey][itemKey];
}

for (const [name, d] of Object.entries(drivers)) {
	const region = d.region;

	test(`VPC lifecycle via ${name}`, async () => {
		const zones = await zonesOf(srv.port, region);
		const cv = await d.call('CreateVpc', { RegionId: region,
		    CidrBlock: '10.0.0.0/16', VpcName: 'sdk-vpc-1',
		    Description: DESC });
		assert.ok(!('Code' in cv));
		assert.equal(typeof cv.RequestId, 'string');
		assert.match(cv.VpcId, /^vpc-[0-9a-z]+$/);
		assert.match(cv.VRouterId, /^vrt-[0-9a-z]+$/);
		assert.match(cv.RouteTableId, /^vtb-[0-9a-z]+$/);
		const vpcId = cv.VpcId;

		let b = await d.call('DescribeVpcs', { RegionId: region,
		    VpcId: vpcId });
		let [v] = assertPage(b, 'Vpcs', 'Vpc', 1, 1, 10, 1);
		assert.equal(v.VpcId, vpcId);
		assert.equal(v.RegionId, region);
		assert.equal(v.CidrBlock, '10.0.0.0/16');
		assert.equal(v.VpcName, 'sdk-vpc-1');
		assert.equal(v.Description, DESC);
		assert.equal(v.Status, 'Available');
		assert.equal(v.IsDefault, false);
		assert.equal(v.VRouterId, cv.VRouterId);
		assert.match(v.CreationTime, ISO);
		assert.deepEqual(v.VSwitchIds, { VSwitchId: [] });
		assert.ok(Array.isArray(v.RouterTableIds.RouterTableIds));
		assert.deepEqual(v.RouterTableIds.RouterTableIds, [cv.RouteTableId]);

		const s1 = await d.call('CreateVSwitch', { RegionId: region,
		    VpcId: vpcId, ZoneId: zones[0], CidrBlock: '10.0.1.0/24',
		    VSwitchName: 'sdk-vsw-1', Description: DESC });
		assert.match(s1.VSwitchId, /^vsw-[0-9a-z]+$/);
		b = await d.call('DescribeVSwitches', { RegionId: region,
		    VpcId: vpcId });
		const [s] = assertPage(b, 'VSwitches', 'VSwitch', 1, 1, 10, 1);
		assert.equal(s.VSwitchId, s1.VSwitchId);
		assert.equal(s.VpcId, vpcId);
		assert.equal(s.ZoneId, zones[0]);
		assert.equal(s.CidrBlock, '10.0.1.0/24');
		assert.equal(s.VSwitchName, 'sdk-vsw-1');
		assert.equal(s.Description, DESC);
		assert.equal(s.Status, 'Available');
		assert.equal(s.IsDefault, false);
		/* first and last three addresses reserved: 256 - 4 */
		assert.equal(s.AvailableIpAddressCount, 252);
		assert.match(s.CreationTime, ISO);

		/* one vSwitch: still an array */
		b = await d.call('DescribeVpcs', { RegionId: region, VpcId: vpcId });
		[v] = assertPage(b, 'Vpcs', 'Vpc', 1, 1, 10, 1);
		assert.deepEqual(v.VSwitchIds.VSwitchId, [s1.VSwitchId]);

		const s2 = await d.call('CreateVSwitch', { VpcId: vpcId,
		    ZoneId: zones[1], CidrBlock: '10.0.2.0/24' });
		assert.match(s2.VSwitchId, /^vsw-/);
		assert.notEqual(s2.VSwitchId, s1.VSwitchId);
		b = await d.call('DescribeVSwitches', { VpcId: vpcId });
		assert.deepEqual(assertPage(b, 'VSwitches', 'VSwitch', 2, 1, 10, 2)
		    .map((x) => x.VSwitchId).sort(),
		    [s1.VSwitchId, s2.VSwitchId].sort());
		b = await d.call('DescribeVSwitches', { RegionId: region,
		    VSwitchId: s2.VSwitchId });
		assert.equal(assertPage(b, 'VSwitches', 'VSwitch', 1, 1, 10, 1)[0]
		    .CidrBlock, '10.0.2.0/24');
		b = await d.call('DescribeVSwitches', { RegionId: region,
		    VpcId: vpcId, ZoneId: zones[1] });
		assert.equal(assertPage(b, 'VSwitches', 'VSwitch', 1, 1, 10, 1)[0]
		    .VSwitchId, s2.VSwitchId);
		b = await d.call('DescribeVpcs', { RegionId: region, VpcId: vpcId });
		assert.deepEqual([...b.Vpcs.Vpc[0].VSwitchIds.VSwitchId].sort(),
		    [s1.VSwitchId, s2.VSwitchId].sort());

		/* a VPC with vSwitches cannot go */
		const dep = await d.fails('DeleteVpc', { RegionId: region,
		    VpcId: vpcId }, 400, 'DependencyViolation.VSwitch');
		assert.match(dep.Message, /vSwitch/i);

		for (const id of [s1.VSwitchId, s2.VSwitchId]) {
			const r = await d.call('DeleteVSwitch', { RegionId: region,
			    VSwitchId: id });
			assert.equal(typeof r.RequestId, 'string');
			assert.ok(!('Code' in r));
		}
		b = await d.call('DescribeVSwitches', { RegionId: region,
		    VpcId: vpcId });
		assertPage(b, 'VSwitches', 'VSwitch', 0, 1, 10, 0);
		await d.fails('DeleteVSwitch', { RegionId: region,
		    VSwitchId: s1.VSwitchId }, 404, 'InvalidVSwitchId.NotFound');

		await d.call('DeleteVpc', { RegionId: region, VpcId: vpcId });
		b = await d.call('DescribeVpcs', { RegionId: region, VpcId: vpcId });
		assertPage(b, 'Vpcs', 'Vpc', 0, 1, 10, 0);
		await d.fails('DeleteVpc', { RegionId: region, VpcId: vpcId }, 404,
		    'InvalidVpcId.NotFound');
		await d.fails('CreateVSwitch', { VpcId: vpcId, ZoneId: zones[0],
		    CidrBlock: '10.0.1.0/24' }, 404, 'InvalidVpcId.NotFound');
	});

	test(`VPC CIDR validation via ${name}`, async () => {
		const zones = await zonesOf(srv.port, region);
		for (const bad of ['abc', '10.0.0.0', '10.0.0.0/33', '10.0.0.1/16',
		    '300.0.0.0/16', '10.0.0.0/16 ', '010.0.0.0/16']) {
			await d.fails('CreateVpc', { RegionId: region,
			    CidrBlock: bad }, 400, 'InvalidCidrBlock.Malformed');
		}
		const { VpcId: vpcId } = await d.call('CreateVpc', {
		    RegionId: region, CidrBlock: '192.168.0.0/16' });
		const vs = (cidr, zone = zones[0]) => ({ RegionId: region,
		    VpcId: vpcId, ZoneId: zone, CidrBlock: cidr });
		for (const bad of ['192.168.1.0', '192.168.1.1/24', 'x/24',
		    '192.168.1.0/24/1', '::/64'])
			await d.fails('CreateVSwitch', vs(bad), 400,
			    'InvalidCidrBlock.Malformed');
		/* mask outside /16../29 (code misspelt as Alibaba spells it) */
		for (const bad of ['192.168.1.0/30', '192.168.1.0/32',
		    '192.168.0.0/15'])
			await d.fails('CreateVSwitch', vs(bad), 400,
			    'InvalidCirdrBlock.MaskLength');
		/* outside the VPC (Alibaba: InvalidParameter, "not valid in VPC") */
		for (const out of ['10.0.0.0/24', '192.169.0.0/24', '172.16.0.0/16']) {
			const e = await d.fails('CreateVSwitch', vs(out), 400,
			    'InvalidParameter');
			assert.match(e.Message, /VPC/);
		}
		const { VSwitchId: sw } = await d.call('CreateVSwitch',
		    vs('192.168.1.0/24'));
		/* overlaps the existing one (inside, containing, equal) */
		for (const ov of ['192.168.1.128/25', '192.168.0.0/23',
		    '192.168.1.0/24'])
			await d.fails('CreateVSwitch', vs(ov, zones[1]), 400,
			    'InvalidCidrBlock.Overlapped');
		/* adjacent is fine; smallest allowed mask is /29 */
		const { VSwitchId: sw2 } = await d.call('CreateVSwitch',
		    vs('192.168.2.0/29', zones[1]));
		const b = await d.call('DescribeVSwitches', { VpcId: vpcId,
		    VSwitchId: sw2 });
		assert.equal(b.VSwitches.VSwitch[0].AvailableIpAddressCount, 4);
		await d.fails('CreateVSwitch', vs('192.168.3.0/24',
		    `${region}-z`), 404, 'InvalidZoneId.NotFound');
		await d.call('DeleteVSwitch', { VSwitchId: sw });
		await d.call('DeleteVSwitch', { VSwitchId: sw2 });
		await d.call('DeleteVpc', { RegionId: region, VpcId: vpcId });
	});

	test(`VPC required parameters and not-found via ${name}`, async () => {
		const zones = await zonesOf(srv.port, region);
		let e = await d.fails('CreateVpc', { CidrBlock: '10.1.0.0/16' },
		    400, 'MissingParameter');
		assert.match(e.Message, /"RegionId"/);
		await d.fails('CreateVpc', { RegionId: 'xx-nowhere-9',
		    CidrBlock: '10.1.0.0/16' }, 404, 'InvalidRegionId.NotFound');
		e = await d.fails('CreateVSwitch', { RegionId: region,
		    ZoneId: zones[0], CidrBlock: '10.1.1.0/24' }, 400,
		    'MissingParameter');
		assert.match(e.Message, /"VpcId"/);
		const { VpcId: vpcId } = await d.call('CreateVpc', {
		    RegionId: region, CidrBlock: '10.1.0.0/16' });
		e = await d.fails('CreateVSwitch', { RegionId: region,
		    VpcId: vpcId, CidrBlock: '10.1.1.0/24' }, 400,
		    'MissingParameter');
		assert.match(e.Message, /"ZoneId"/);
		e = await d.fails('DeleteVpc', { RegionId: region }, 400,
		    'MissingParameter');
		assert.match(e.Message, /"VpcId"/);
		e = await d.fails('DeleteVSwitch', { RegionId: region }, 400,
		    'MissingParameter');
		assert.match(e.Message, /"VSwitchId"/);
		e = await d.fails('DescribeVpcs', {}, 400, 'MissingParameter');
		assert.match(e.Message, /"RegionId"/);
		await d.fails('DeleteVpc', { RegionId: region,
		    VpcId: 'vpc-doesnotexist000000' }, 404, 'InvalidVpcId.NotFound');
		await d.fails('DeleteVSwitch', { RegionId: region,
		    VSwitchId: 'vsw-doesnotexist000000' }, 404,
		    'InvalidVSwitchId.NotFound');
		await d.fails('CreateVSwitch', { RegionId: region,
		    VpcId: 'vpc-doesnotexist000000', ZoneId: zones[0],
		    CidrBlock: '10.1.1.0/24' }, 404, 'InvalidVpcId.NotFound');
		/* an unknown id filter is an empty page, not an error */
		const b = await d.call('DescribeVpcs', { RegionId: region,
		    VpcId: 'vpc-doesnotexist000000' });
		assertPage(b, 'Vpcs', 'Vpc', 0, 1, 10, 0);
		/* a VPC is not visible from another region */
		const other = await d.call('DescribeVpcs', { RegionId: 'cn-beijing',
		    VpcId: vpcId });
		assertPage(other, 'Vpcs', 'Vpc', 0, 1, 10, 0);
		await d.call('DeleteVpc', { RegionId: region, VpcId: vpcId });
	});

	test(`VPC names and descriptions are validated via ${name}`, async () => {
		await d.fails('CreateVpc', { RegionId: region,
		    CidrBlock: '10.2.0.0/16', VpcName: 'http://evil' }, 400,
		    'InvalidVpcName.Malformed');
		await d.fails('CreateVpc', { RegionId: region,
		    CidrBlock: '10.2.0.0/16', Description: 'https://evil' }, 400,
		    'InvalidVpcDiscription.Malformed');
		await d.fails('CreateVpc', { RegionId: region,
		    CidrBlock: '10.2.0.0/16', VpcName: 'x'.repeat(129) }, 400,
		    'InvalidVpcName.Malformed');
	});

	test(`ClientToken idempotency via ${name}`, async () => {
		const token = `tok-${name.replace(/\W/g, '')}-${h.nonce()}`;
		const p = { RegionId: region, CidrBlock: '10.3.0.0/16',
		    VpcName: 'idem', ClientToken: token };
		const before = (await d.call('DescribeVpcs', { RegionId: region }))
		    .TotalCount;
		const a = await d.call('CreateVpc', p);
		const b = await d.call('CreateVpc', p);
		assert.equal(b.VpcId, a.VpcId);
		assert.equal(b.VRouterId, a.VRouterId);
		assert.notEqual(b.RequestId, a.RequestId);
		const after = (await d.call('DescribeVpcs', { RegionId: region }))
		    .TotalCount;
		assert.equal(after, before + 1, 'one VPC for two calls');
		await d.fails('CreateVpc', { ...p, CidrBlock: '10.4.0.0/16' }, 400,
		    'IdempotentParameterMismatch');
		/* another token, same parameters: a new VPC */
		const c = await d.call('CreateVpc', { ...p,
		    ClientToken: `${token}-2` });
		assert.notEqual(c.VpcId, a.VpcId);

		/* vSwitch: without the token the repeat would overlap */
		const zones = await zonesOf(srv.port, region);
		const sp = { VpcId: a.VpcId, ZoneId: zones[0],
		    CidrBlock: '10.3.1.0/24', ClientToken: token };
		const s1 = await d.call('CreateVSwitch', sp);
		const s2 = await d.call('CreateVSwitch', sp);
		assert.equal(s2.VSwitchId, s1.VSwitchId);
		const noToken = { ...sp };
		delete noToken.ClientToken;
		await d.fails('CreateVSwitch', noToken, 400,
		    'InvalidCidrBlock.Overlapped');
		await d.call('DeleteVSwitch', { VSwitchId: s1.VSwitchId });
		await d.call('DeleteVpc', { VpcId: a.VpcId });
		await d.call('DeleteVpc', { VpcId: c.VpcId });
	});

	test(`VPC tags via ${name}`, async () => {
		const { VpcId: id } = await d.call('CreateVpc', { RegionId: region,
		    CidrBlock: '10.5.0.0/16', Tag: [{ Key: 'env', Value: 'dev' },
			{ Key: 'team', Value: 'sec ops' }] });
		const b = await d.call('DescribeVpcs', { RegionId: region,
		    VpcId: id });
		const tags = b.Vpcs.Vpc[0].Tags.Tag;
		assert.ok(Array.isArray(tags));
		assert.deepEqual([...tags].sort((x, y) => x.Key.localeCompare(y.Key)),
		    [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'sec ops' }]);
		await d.fails('CreateVpc', { RegionId: region,
		    CidrBlock: '10.6.0.0/16', Tag: [{ Key: 'aliyun-x', Value: 'v' }] },
		    400, 'InvalidTagKey.Malformed');
		await d.call('DeleteVpc', { VpcId: id });
	});
}

test('ClientToken is shared across clients (V3 then V1)', async () => {
	const token = `cross-${h.nonce()}`;
	const p = { RegionId: 'cn-beijing', CidrBlock: '10.7.0.0/16',
	    ClientToken: token };
	const a = await drivers['vpc20160428 tea V3'].call('CreateVpc', p);
	const b = await drivers['pop-core V1 (GET)'].call('CreateVpc', p);
	assert.equal(b.VpcId, a.VpcId);
	await drivers['pop-core V1 (GET)'].call('DeleteVpc', { VpcId: a.VpcId });
});

test('VPC via tea V1 (signatureAlgorithm v2) and pop-core POST', async () => {
	const c = h.vpcV1(srv.port);
	const cv = await tea(c, 'CreateVpc', { RegionId: 'ap-northeast-1',
	    CidrBlock: '172.16.0.0/16', VpcName: 'v1-vpc', Description: DESC });
	assert.match(cv.VpcId, /^vpc-/);
	const post = h.pop(srv.port, { version: h.VPC_VERSION }).post;
	const b = await post('DescribeVpcs', { RegionId: 'ap-northeast-1',
	    VpcId: cv.VpcId });
	assert.equal(b.Vpcs.Vpc[0].Description, DESC);
	assert.equal(b.Vpcs.Vpc[0].VpcName, 'v1-vpc');
	const zones = await zonesOf(srv.port, 'ap-northeast-1');
	const s = await post('CreateVSwitch', { VpcId: cv.VpcId,
	    ZoneId: zones[0], CidrBlock: '172.16.8.0/21' });
	const t = await tea(c, 'DescribeVSwitches', { VpcId: cv.VpcId });
	assert.equal(t.VSwitches.VSwitch[0].VSwitchId, s.VSwitchId);
	assert.equal(t.VSwitches.VSwitch[0].AvailableIpAddressCount, 2044);
	await tea(c, 'DeleteVSwitch', { VSwitchId: s.VSwitchId });
	await post('DeleteVpc', { VpcId: cv.VpcId });
	await h.popRejects(post('DeleteVpc', { VpcId: cv.VpcId }),
	    'InvalidVpcId.NotFound');
});

test('DescribeVpcs / DescribeVSwitches pagination (fresh server)', async () => {
	const s = await h.startServer();
	try {
		const p = h.pop(s.port, { version: h.VPC_VERSION });
		const region = 'cn-beijing';
		const ids = [];
		for (let i = 0; i < 5; i++)
			ids.push((await p.get('CreateVpc', { RegionId: region,
			    CidrBlock: `10.${10 + i}.0.0/16`, VpcName: `page-${i}` }))
			    .VpcId);
		assert.equal(new Set(ids).size, 5);
		const seen = [];
		for (const [n, len] of [[1, 2], [2, 2], [3, 1], [4, 0]]) {
			const b = await p.get('DescribeVpcs', { RegionId: region,
			    PageSize: 2, PageNumber: n });
			seen.push(...assertPage(b, 'Vpcs', 'Vpc', 5, n, 2, len)
			    .map((v) => v.VpcId));
		}
		assert.deepEqual([...seen].sort(), [...ids].sort(),
		    'pages cover every VPC exactly once');
		let b = await p.get('DescribeVpcs', { RegionId: region });
		assertPage(b, 'Vpcs', 'Vpc', 5, 1, 10, 5);
		b = await p.get('DescribeVpcs', { RegionId: region, PageSize: 50 });
		assertPage(b, 'Vpcs', 'Vpc', 5, 1, 50, 5);
		/* comma-separated VpcId filter (ecs-api.md §8.3) */
		b = await p.get('DescribeVpcs', { RegionId: region,
		    VpcId: `${ids[0]},${ids[3]}` });
		assert.deepEqual(assertPage(b, 'Vpcs', 'Vpc', 2, 1, 10, 2)
		    .map((v) => v.VpcId).sort(), [ids[0], ids[3]].sort());
		b = await p.get('DescribeVpcs', { RegionId: region,
		    VpcName: 'page-2' });
		assert.equal(assertPage(b, 'Vpcs', 'Vpc', 1, 1, 10, 1)[0].VpcId,
		    ids[2]);

		const t = h.vpcV3(s.port);
		for (const [k, v] of [['PageSize', 51], ['PageSize', 0],
		    ['PageNumber', 0]])
			await h.teaRejects(tea(t, 'DescribeVpcs', { RegionId: region,
			    [k]: v }), 400, 'InvalidParameter');

		const zones = await zonesOf(s.port, region);
		const sw = [];
		for (let i = 0; i < 3; i++)
			sw.push((await p.get('CreateVSwitch', { VpcId: ids[0],
			    ZoneId: zones[i % zones.length],
			    CidrBlock: `10.10.${i}.0/24` })).VSwitchId);
		const got = [];
		for (const [n, len] of [[1, 2], [2, 1]]) {
			b = await p.get('DescribeVSwitches', { VpcId: ids[0],
			    PageSize: 2, PageNumber: n });
			got.push(...assertPage(b, 'VSwitches', 'VSwitch', 3, n, 2, len)
			    .map((x) => x.VSwitchId));
		}
		assert.deepEqual([...got].sort(), [...sw].sort());
		b = await p.get('DescribeVSwitches', { RegionId: region });
		assertPage(b, 'VSwitches', 'VSwitch', 3, 1, 10, 3);
		await h.teaRejects(tea(t, 'DescribeVSwitches', { VpcId: ids[0],
		    PageSize: 51 }), 400, 'InvalidParameter');
	} finally {
		await h.stopServer(s);
	}
});

test('VPC and vSwitch quotas (fresh server, --vpc-quota 2 --vswitch-quota 1)', async () => {
	const s = await h.startServer(['--vpc-quota', '2', '--vswitch-quota', '1']);
	try {
		const t = h.vpcV3(s.port);
		const region = 'cn-hangzhou';
		const a = await tea(t, 'CreateVpc', { RegionId: region,
		    CidrBlock: '10.0.0.0/16' });
		await tea(t, 'CreateVpc', { RegionId: region,
		    CidrBlock: '10.1.0.0/16' });
		await h.teaRejects(tea(t, 'CreateVpc', { RegionId: region,
		    CidrBlock: '10.2.0.0/16' }), 400, 'QuotaExceeded.Vpc');
		/* the quota is per region */
		await tea(t, 'CreateVpc', { RegionId: 'cn-shanghai',
		    CidrBlock: '10.2.0.0/16' });
		const zones = await zonesOf(s.port, region);
		await tea(t, 'CreateVSwitch', { VpcId: a.VpcId, ZoneId: zones[0],
		    CidrBlock: '10.0.1.0/24' });
		await h.teaRejects(tea(t, 'CreateVSwitch', { VpcId: a.VpcId,
		    ZoneId: zones[0], CidrBlock: '10.0.2.0/24' }), 400,
		    'QuotaExceeded.VSwitch');
	} finally {
		await h.stopServer(s);
	}
});

test('DryRun, ForceDelete, CidrMask, default CIDR and other edges (tea V3)', async () => {
	const t = (a, p) => tea(h.vpcV3(srv.port), a, p);
	const no = (a, p, st, code) => h.teaRejects(t(a, p), st, code);
	const region = 'cn-beijing';
	const count = async () => (await t('DescribeVpcs', { RegionId: region,
	    PageSize: 50 })).TotalCount;
	const n0 = await count();

	/* DryRun: every check runs, nothing is created */
	await no('CreateVpc', { RegionId: region, CidrBlock: '10.20.0.0/16',
	    DryRun: true }, 400, 'DryRunOperation');
	await no('CreateVpc', { RegionId: region, CidrBlock: 'bad',
	    DryRun: true }, 400, 'InvalidCidrBlock.Malformed');
	assert.equal(await count(), n0);

	/* no CidrBlock: Alibaba's default block */
	const dflt = await t('CreateVpc', { RegionId: region });
	let b = await t('DescribeVpcs', { RegionId: region, VpcId: dflt.VpcId });
	assert.equal(b.Vpcs.Vpc[0].CidrBlock, '172.16.0.0/12');

	/* CidrMask without CidrBlock: the lowest free block of that size */
	const zones = await zonesOf(srv.port, region);
	const s1 = await t('CreateVSwitch', { VpcId: dflt.VpcId,
	    ZoneId: zones[0], CidrBlock: '172.16.0.0/24' });
	const s2 = await t('CreateVSwitch', { VpcId: dflt.VpcId,
	    ZoneId: zones[0], CidrMask: 24 });
	b = await t('DescribeVSwitches', { VpcId: dflt.VpcId,
	    VSwitchId: s2.VSwitchId });
	assert.equal(b.VSwitches.VSwitch[0].CidrBlock, '172.16.1.0/24');
	await no('CreateVSwitch', { VpcId: dflt.VpcId, ZoneId: zones[0] }, 400,
	    'MissingParameter');

	/* the VPC's region is part of its identity */
	await no('DeleteVpc', { RegionId: 'cn-hangzhou', VpcId: dflt.VpcId },
	    404, 'InvalidVpcId.NotFound');
	await no('CreateVSwitch', { RegionId: 'cn-hangzhou', VpcId: dflt.VpcId,
	    ZoneId: 'cn-hangzhou-b', CidrBlock: '172.16.9.0/24' }, 404,
	    'InvalidVpcId.NotFound');
	/* a zone of another region */
	await no('CreateVSwitch', { VpcId: dflt.VpcId, ZoneId: 'cn-hangzhou-b',
	    CidrBlock: '172.16.9.0/24' }, 404, 'InvalidZoneId.NotFound');

	/* ForceDelete takes the (empty) vSwitches along */
	await no('DeleteVpc', { VpcId: dflt.VpcId }, 400,
	    'DependencyViolation.VSwitch');
	await t('DeleteVpc', { VpcId: dflt.VpcId, ForceDelete: true });
	for (const id of [s1.VSwitchId, s2.VSwitchId])
		await no('DeleteVSwitch', { VSwitchId: id }, 404,
		    'InvalidVSwitchId.NotFound');
	assert.equal(await count(), n0);

	/* request-level limits */
	await no('CreateVpc', { RegionId: region, CidrBlock: '10.21.0.0/16',
	    ClientToken: 'x'.repeat(65) }, 400, 'InvalidClientToken.Malformed');
	await no('CreateVpc', { RegionId: region, CidrBlock: '10.21.0.0/16',
	    Tag: [{ Key: 'k', Value: '1' }, { Key: 'k', Value: '2' }] }, 400,
	    'Duplicate.TagKey');
	const many = Array.from({ length: 21 }, (_, i) => `vpc-x${i}`).join(',');
	await no('DescribeVpcs', { RegionId: region, VpcId: many }, 400,
	    'InvalidParameter');
	assert.equal(await count(), n0);
});

test('length limits count characters, not bytes (tea V3)',
    async () => {
	const t = (a, p) => tea(h.vpcV3(srv.port), a, p);
	const region = 'ap-northeast-1';
	const v = await t('CreateVpc', { RegionId: region,
	    CidrBlock: '10.30.0.0/16', VpcName: 'あ'.repeat(128),
	    Description: '説'.repeat(256),
	    Tag: [{ Key: '鍵'.repeat(128), Value: '値'.repeat(128) }] });
	const b = await t('DescribeVpcs', { RegionId: region, VpcId: v.VpcId });
	assert.equal(b.Vpcs.Vpc[0].VpcName, 'あ'.repeat(128));
	assert.equal(b.Vpcs.Vpc[0].Description, '説'.repeat(256));
	await t('DeleteVpc', { VpcId: v.VpcId });
	await h.teaRejects(t('CreateVpc', { RegionId: region,
	    CidrBlock: '10.30.0.0/16', VpcName: 'あ'.repeat(129) }), 400,
	    'InvalidVpcName.Malformed');
});

test('CidrMask out of range names the allowed range (tea V3)',
    async () => {
	const t = (a, p) => tea(h.vpcV3(srv.port), a, p);
	const v = await t('CreateVpc', { RegionId: 'ap-northeast-1',
	    CidrBlock: '10.31.0.0/16' });
	try {
		const zones = await zonesOf(srv.port, 'ap-northeast-1');
		const e = await h.teaRejects(t('CreateVSwitch', { VpcId: v.VpcId,
		    ZoneId: zones[0], CidrMask: 30 }), 400,
		    'InvalidCirdrBlock.MaskLength');
		assert.match(e.data.Message, /16 to 29/);
	} finally {
		await t('DeleteVpc', { VpcId: v.VpcId });
	}
});

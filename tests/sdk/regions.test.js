'use strict';
/*
 * DescribeRegions / DescribeZones through every client style: Tea V3
 * (ecs 7.x), Tea V1 (signatureAlgorithm 'v2'), ecs 4.3.0 on
 * openapi-client, pop-core GET and pop-core POST (form body).
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const srv = h.useServer();

const EN_NAMES = {
	'cn-hangzhou': 'China (Hangzhou)',
	'cn-shanghai': 'China (Shanghai)',
	'cn-beijing': 'China (Beijing)',
	'ap-northeast-1': 'Japan (Tokyo)',
};

/*
 * Each style returns the wire-shaped body (PascalCase keys). The Tea clients
 * map the body onto their model, which throws when a list is not an array,
 * so a Tea success already proves the array shape; toMap() gives it back.
 */
const styles = {
	'tea V3 (ecs 7.x)': async (action, q) => {
		const c = h.ecsV3(srv.port);
		const Req = h.Ecs[`${action}Request`];
		const r = await c[lc(action)](new Req(camel(q)));
		assert.equal(r.statusCode, 200);
		return r.body.toMap();
	},
	'tea V1 (signatureAlgorithm v2)': async (action, q) => {
		const c = h.ecsV1(srv.port);
		const Req = h.Ecs[`${action}Request`];
		const r = await c[lc(action)](new Req(camel(q)));
		assert.equal(r.statusCode, 200);
		return r.body.toMap();
	},
	'ecs-v4 (openapi-client)': async (action, q) => {
		const c = h.ecsV4(srv.port);
		const Req = h.EcsV4[`${action}Request`];
		const r = await c[lc(action)](new Req(camel(q)));
		assert.equal(r.statusCode, 200);
		return r.body.toMap();
	},
	'pop-core GET': (action, q) => h.pop(srv.port).get(action, q),
	'pop-core POST (form body)': (action, q) => h.pop(srv.port).post(action, q),
};

/* The same failure seen through each style: [status or null, code]. */
const failing = {
	'tea V3 (ecs 7.x)': (action, q, st, code) => h.teaRejects(
	    styles['tea V3 (ecs 7.x)'](action, q), st, code),
	'tea V1 (signatureAlgorithm v2)': (action, q, st, code) => h.teaRejects(
	    styles['tea V1 (signatureAlgorithm v2)'](action, q), st, code),
	'ecs-v4 (openapi-client)': (action, q, st, code) => h.teaRejects(
	    styles['ecs-v4 (openapi-client)'](action, q), st, code),
	'pop-core GET': (action, q, st, code) => h.popRejects(
	    h.pop(srv.port).get(action, q), code),
	'pop-core POST (form body)': (action, q, st, code) => h.popRejects(
	    h.pop(srv.port).post(action, q), code),
};

function lc(s) {
	return s[0].toLowerCase() + s.slice(1);
}

function camel(q) {
	const o = {};
	for (const [k, v] of Object.entries(q))
		o[lc(k)] = v;
	return o;
}

function assertSuccessBody(b) {
	assert.equal(typeof b.RequestId, 'string');
	assert.match(b.RequestId, /^[0-9A-F-]{36}$/);
	assert.ok(!('Code' in b), 'no Code in a success body');
}

function regionIds(b) {
	assert.ok(Array.isArray(b.Regions.Region), 'Regions.Region is an array');
	return b.Regions.Region.map((r) => r.RegionId);
}

for (const [name, call] of Object.entries(styles)) {
	test(`DescribeRegions via ${name}`, async () => {
		const b = await call('DescribeRegions', {});
		assertSuccessBody(b);
		assert.deepEqual(regionIds(b), h.REGIONS);
		for (const r of b.Regions.Region) {
			assert.equal(r.Status, 'available');
			assert.equal(r.RegionEndpoint, `ecs.${r.RegionId}.aliyuncs.com`);
			assert.equal(typeof r.LocalName, 'string');
		}
		/* default language is zh-CN */
		assert.match(b.Regions.Region[0].LocalName, /杭州/);
	});

	test(`DescribeRegions AcceptLanguage en-US / ja via ${name}`, async () => {
		const en = await call('DescribeRegions', { AcceptLanguage: 'en-US' });
		const ja = await call('DescribeRegions', { AcceptLanguage: 'ja' });
		const zh = await call('DescribeRegions', { AcceptLanguage: 'zh-CN' });
		assert.deepEqual(regionIds(en), h.REGIONS);
		assert.deepEqual(regionIds(ja), h.REGIONS);
		for (const r of en.Regions.Region)
			assert.equal(r.LocalName, EN_NAMES[r.RegionId]);
		for (let i = 0; i < h.REGIONS.length; i++) {
			const j = ja.Regions.Region[i].LocalName;
			assert.notEqual(j, en.Regions.Region[i].LocalName);
			assert.notEqual(j, zh.Regions.Region[i].LocalName);
		}
		assert.match(ja.Regions.Region[3].LocalName, /東京/);
	});

	test(`DescribeRegions bad AcceptLanguage via ${name}`, async () => {
		await failing[name]('DescribeRegions', { AcceptLanguage: 'xx-YY' },
		    404, 'InvalidAcceptLanguage.NotFound');
	});

	test(`DescribeZones via ${name}`, async () => {
		const b = await call('DescribeZones', { RegionId: 'cn-beijing',
		    AcceptLanguage: 'en-US' });
		assertSuccessBody(b);
		assert.ok(Array.isArray(b.Zones.Zone), 'Zones.Zone is an array');
		assert.ok(b.Zones.Zone.length >= 2);
		const ids = b.Zones.Zone.map((z) => z.ZoneId);
		assert.equal(new Set(ids).size, ids.length, 'zone ids are distinct');
		for (const z of b.Zones.Zone) {
			assert.match(z.ZoneId, /^cn-beijing-[a-z]$/);
			assert.match(z.LocalName, /^China \(Beijing\) [A-Z]$/);
			assert.ok(Array.isArray(
			    z.AvailableResourceCreation.ResourceTypes));
			assert.ok(z.AvailableResourceCreation.ResourceTypes
			    .includes('VSwitch'));
		}
	});

	test(`DescribeZones errors via ${name}`, async () => {
		const e1 = await failing[name]('DescribeZones', {}, 400,
		    'MissingParameter');
		assert.match(e1.data.Message, /"RegionId"/);
		await failing[name]('DescribeZones', { RegionId: 'xx-nowhere-9' },
		    404, 'InvalidRegionId.NotFound');
		/* a real Alibaba region that this server is not configured for */
		await failing[name]('DescribeZones', { RegionId: 'us-west-1' },
		    404, 'InvalidRegionId.NotFound');
	});
}

test('DescribeRegions bad ResourceType -> InvalidResourceType.NotFound', async () => {
	await h.teaRejects(styles['tea V3 (ecs 7.x)']('DescribeRegions',
	    { ResourceType: 'spaceship' }), 404, 'InvalidResourceType.NotFound');
	const b = await styles['pop-core GET']('DescribeRegions',
	    { ResourceType: 'disk' });
	assert.deepEqual(regionIds(b), h.REGIONS);
});

test('raw success body: JSON content type, RequestId, no Code', async () => {
	/* pop-core treats any Code as an error, so check the raw body too */
	const r = await h.send(srv.port, h.rawV1({ action: 'DescribeRegions' }));
	assert.equal(r.status, 200, r.text);
	assert.match(String(r.headers['content-type']), /^application\/json/);
	assertSuccessBody(r.json);
	assert.deepEqual(regionIds(r.json), h.REGIONS);
});

test('every response carries a fresh RequestId', async () => {
	const p = h.pop(srv.port);
	const a = await p.get('DescribeRegions');
	const b = await p.get('DescribeRegions');
	assert.notEqual(a.RequestId, b.RequestId);
});

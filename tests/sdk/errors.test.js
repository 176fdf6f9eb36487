'use strict';
/*
 * Gateway behaviour: signature checks (V1 and V3), timestamps, nonces,
 * dispatch errors, request decoding, parameter placement, and the shape of
 * every error body. The SDKs cover what they can send; requests they cannot
 * produce (old timestamps, replays, lying body hashes) are signed by hand.
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const srv = h.useServer();

const SPECIAL = "sp ace (paren) *star! quote' tilde~ 日本語テスト &=%/+?#";
const Req = (o = {}) => new h.Ecs.DescribeRegionsRequest(o);
const ReqV4 = (o = {}) => new h.EcsV4.DescribeRegionsRequest(o);

/* ---- signature mismatch ---- */

test('wrong secret -> SignatureDoesNotMatch 400 (tea V3)', async () => {
	const e = await h.teaRejects(h.ecsV3(srv.port, { secret: 'wrong' })
	    .describeRegions(Req()), 400, 'SignatureDoesNotMatch');
	assert.match(e.data.Message,
	    /server string to sign is:ACS3-HMAC-SHA256\n[0-9a-f]{64}$/);
});

test('wrong secret -> SignatureDoesNotMatch 400 (tea V1)', async () => {
	const e = await h.teaRejects(h.ecsV1(srv.port, { secret: 'wrong' })
	    .describeRegions(Req()), 400, 'SignatureDoesNotMatch');
	assert.match(e.data.Message, /server string to sign is:POST&%2F&/);
	assert.ok(e.data.Message.includes(`AccessKeyId%3D${h.AKID}`));
});

test('wrong secret -> SignatureDoesNotMatch 400 (ecs-v4)', async () => {
	const e = await h.teaRejects(h.ecsV4(srv.port, { secret: 'wrong' })
	    .describeRegions(ReqV4()), 400, 'SignatureDoesNotMatch');
	assert.match(e.data.Message, /server string to sign is:/);
});

test('wrong secret -> SignatureDoesNotMatch (pop-core GET and POST)', async () => {
	const p = h.pop(srv.port, { secret: 'wrong' });
	const g = await h.popRejects(p.get('DescribeRegions'),
	    'SignatureDoesNotMatch');
	assert.match(g.data.Message, /server string to sign is:GET&%2F&/);
	const q = await h.popRejects(p.post('DescribeRegions'),
	    'SignatureDoesNotMatch');
	assert.match(q.data.Message, /server string to sign is:POST&%2F&/);
});

test('raw V1 wrong secret: server string to sign equals ours', async () => {
	const r = h.rawV1({ action: 'DescribeZones', secret: 'wrong',
	    params: { RegionId: 'cn-hangzhou', Note: SPECIAL } });
	const b = h.assertRawError(await h.send(srv.port, r), 400,
	    'SignatureDoesNotMatch');
	assert.ok(b.Message.endsWith(`server string to sign is:${r.stringToSign}`),
	    `${b.Message}\n!= ${r.stringToSign}`);
});

test('raw V3 wrong secret: server string to sign equals ours', async () => {
	const r = h.rawV3({ port: srv.port, action: 'DescribeZones',
	    secret: 'wrong', params: { RegionId: 'cn-hangzhou', Note: SPECIAL } });
	const b = h.assertRawError(await h.send(srv.port, r), 400,
	    'SignatureDoesNotMatch');
	assert.ok(b.Message.endsWith(`server string to sign is:${r.stringToSign}`),
	    `${b.Message}\n!= ${r.stringToSign}`);
});

test('V1 parameter changed after signing -> SignatureDoesNotMatch', async () => {
	const r = h.rawV1({ action: 'DescribeZones',
	    params: { RegionId: 'cn-hangzhou' } });
	r.query = r.query.replace('RegionId=cn-hangzhou', 'RegionId=cn-beijing');
	h.assertRawError(await h.send(srv.port, r), 400, 'SignatureDoesNotMatch');
});

test('V1 signed for GET, sent as POST -> SignatureDoesNotMatch', async () => {
	const r = h.rawV1({ method: 'GET', action: 'DescribeRegions' });
	r.method = 'POST';
	h.assertRawError(await h.send(srv.port, r), 400, 'SignatureDoesNotMatch');
});

test('V3 query changed after signing -> SignatureDoesNotMatch', async () => {
	const r = h.rawV3({ port: srv.port, action: 'DescribeZones',
	    params: { RegionId: 'cn-hangzhou' } });
	r.query = 'RegionId=cn-beijing';
	h.assertRawError(await h.send(srv.port, r), 400, 'SignatureDoesNotMatch');
});

test('V3 signed action header changed -> SignatureDoesNotMatch', async () => {
	const r = h.rawV3({ port: srv.port, action: 'DescribeRegions' });
	r.headers['x-acs-action'] = 'DescribeZones';
	r.query = 'RegionId=cn-hangzhou';
	h.assertRawError(await h.send(srv.port, r), 400, 'SignatureDoesNotMatch');
});

/* ---- unknown key ---- */

test('unknown AccessKeyId -> InvalidAccessKeyId.NotFound 404', async () => {
	const o = { akid: 'LTAInosuchkey00000000' };
	await h.teaRejects(h.ecsV3(srv.port, o).describeRegions(Req()), 404,
	    'InvalidAccessKeyId.NotFound');
	await h.teaRejects(h.ecsV1(srv.port, o).describeRegions(Req()), 404,
	    'InvalidAccessKeyId.NotFound');
	await h.teaRejects(h.ecsV4(srv.port, o).describeRegions(ReqV4()), 404,
	    'InvalidAccessKeyId.NotFound');
	await h.popRejects(h.pop(srv.port, o).get('DescribeRegions'),
	    'InvalidAccessKeyId.NotFound');
	await h.popRejects(h.pop(srv.port, o).post('DescribeRegions'),
	    'InvalidAccessKeyId.NotFound');
});

/* ---- timestamps ---- */

for (const [what, off] of [['20 minutes old', -1200], ['20 minutes ahead', 1200]]) {
	test(`V1 Timestamp ${what} -> InvalidTimeStamp.Expired 400`, async () => {
		const r = h.rawV1({ action: 'DescribeRegions',
		    timestamp: h.isoNow(off) });
		h.assertRawError(await h.send(srv.port, r), 400,
		    'InvalidTimeStamp.Expired');
	});

	test(`V3 x-acs-date ${what} -> InvalidTimeStamp.Expired 400`, async () => {
		const r = h.rawV3({ port: srv.port, action: 'DescribeRegions',
		    date: h.isoNow(off) });
		h.assertRawError(await h.send(srv.port, r), 400,
		    'InvalidTimeStamp.Expired');
	});
}

test('timestamps 10 minutes old are still accepted (V1 and V3)', async () => {
	let r = await h.send(srv.port, h.rawV1({ action: 'DescribeRegions',
	    timestamp: h.isoNow(-600) }));
	assert.equal(r.status, 200, r.text);
	r = await h.send(srv.port, h.rawV3({ port: srv.port,
	    action: 'DescribeRegions', date: h.isoNow(-600) }));
	assert.equal(r.status, 200, r.text);
});

test('malformed timestamp -> InvalidTimeStamp.Format 400', async () => {
	let r = await h.send(srv.port, h.rawV1({ action: 'DescribeRegions',
	    timestamp: 'yesterday' }));
	h.assertRawError(r, 400, 'InvalidTimeStamp.Format');
	r = await h.send(srv.port, h.rawV3({ port: srv.port,
	    action: 'DescribeRegions', date: '2026-13-45T99:00:00Z' }));
	h.assertRawError(r, 400, 'InvalidTimeStamp.Format');
});

/* ---- nonces ---- */

test('V1 nonce replay -> SignatureNonceUsed 400', async () => {
	const r = h.rawV1({ action: 'DescribeRegions' });
	const first = await h.send(srv.port, r);
	assert.equal(first.status, 200, first.text);
	h.assertRawError(await h.send(srv.port, r), 400, 'SignatureNonceUsed');
});

test('V3 nonce replay -> SignatureNonceUsed 400', async () => {
	const r = h.rawV3({ port: srv.port, action: 'DescribeRegions' });
	const first = await h.send(srv.port, r);
	assert.equal(first.status, 200, first.text);
	h.assertRawError(await h.send(srv.port, r), 400, 'SignatureNonceUsed');
});

test('same nonce, freshly signed (other params) is still a replay', async () => {
	const n = h.nonce();
	const a = await h.send(srv.port, h.rawV1({ action: 'DescribeRegions',
	    nonce: n }));
	assert.equal(a.status, 200, a.text);
	const b = await h.send(srv.port, h.rawV1({ action: 'DescribeZones',
	    nonce: n, params: { RegionId: 'cn-hangzhou' } }));
	h.assertRawError(b, 400, 'SignatureNonceUsed');
});

test('a forged request does not burn the nonce', async () => {
	const n = h.nonce();
	const forged = await h.send(srv.port, h.rawV1({ action: 'DescribeRegions',
	    nonce: n, secret: 'attacker' }));
	h.assertRawError(forged, 400, 'SignatureDoesNotMatch');
	const real = await h.send(srv.port, h.rawV1({ action: 'DescribeRegions',
	    nonce: n }));
	assert.equal(real.status, 200, real.text);
});

/* ---- missing / bad signature parameters ---- */

test('missing Signature -> MissingParameter 400', async () => {
	const r = h.rawV1({ action: 'DescribeRegions', omit: ['Signature'] });
	const b = h.assertRawError(await h.send(srv.port, r), 400,
	    'MissingParameter');
	assert.match(b.Message, /Signature/);
});

test('missing AccessKeyId (V1) -> MissingParameter 400', async () => {
	const r = h.rawV1({ action: 'DescribeRegions', omit: ['AccessKeyId'] });
	const b = h.assertRawError(await h.send(srv.port, r), 400,
	    'MissingParameter');
	assert.match(b.Message, /AccessKeyId/);
});

test('SignatureMethod HMAC-SHA256 (V1) -> InvalidParamater 400', async () => {
	const r = h.rawV1({ action: 'DescribeRegions',
	    set: { SignatureMethod: 'HMAC-SHA256' } });
	const b = h.assertRawError(await h.send(srv.port, r), 400,
	    'InvalidParamater');
	assert.match(b.Message, /SignatureMethod/);
});

test('unsigned request (no Signature, no Authorization) is refused', async () => {
	const r = await h.send(srv.port, { method: 'GET',
	    query: 'Action=DescribeRegions&Version=2014-05-26', headers: {} });
	h.assertRawError(r, 400, 'MissingParameter');
});

/* ---- dispatch ---- */

test('unknown action -> InvalidAction 403 (tea V3, tea V1, pop-core)', async () => {
	for (const c of [h.ecsV3(srv.port), h.ecsV1(srv.port)])
		await h.teaRejects(h.teaCall(c, 'DescribeUnicorns', h.ECS_VERSION),
		    403, 'InvalidAction');
	await h.popRejects(h.pop(srv.port).get('DescribeUnicorns'),
	    'InvalidAction');
	/* a VPC action under the ECS version is not an ECS action */
	await h.teaRejects(h.teaCall(h.ecsV3(srv.port), 'CreateVpc',
	    h.ECS_VERSION, { RegionId: 'cn-hangzhou' }), 403, 'InvalidAction');
});

test('unknown Version -> InvalidParameter 400', async () => {
	for (const c of [h.ecsV3(srv.port), h.ecsV1(srv.port)]) {
		const e = await h.teaRejects(h.teaCall(c, 'DescribeRegions',
		    '2099-01-01'), 400, 'InvalidParameter');
		assert.match(e.data.Message, /Action or Version/);
	}
	await h.popRejects(h.pop(srv.port, { version: '2099-01-01' })
	    .get('DescribeRegions'), 'InvalidParameter');
});

test('errors under the VPC version name the VPC product', async () => {
	const e = await h.teaRejects(h.teaCall(h.ecsV3(srv.port),
	    'DescribeUnicorns', h.VPC_VERSION), 403, 'InvalidAction');
	assert.equal(e.data.HostId, 'vpc.aliyuncs.com');
	assert.match(e.data.Recommend, /product=Vpc/);
	const f = await h.teaRejects(h.teaCall(h.ecsV3(srv.port),
	    'DescribeUnicorns', h.ECS_VERSION), 403, 'InvalidAction');
	assert.equal(f.data.HostId, 'ecs.aliyuncs.com');
	assert.match(f.data.Recommend, /product=Ecs/);
	assert.ok(f.data.Recommend.endsWith(`requestId=${f.data.RequestId}`));
});

for (const method of ['PUT', 'DELETE', 'PATCH']) {
	test(`HTTP ${method} -> UnsupportedHTTPMethod 403`, async () => {
		const r = h.rawV1({ method, action: 'DescribeRegions' });
		h.assertRawError(await h.send(srv.port, r), 403,
		    'UnsupportedHTTPMethod');
	});
}

test('path other than / -> InvalidAction 403', async () => {
	const r = h.rawV1({ action: 'DescribeRegions' });
	r.path = `/ecs/?${r.query}`;
	h.assertRawError(await h.send(srv.port, r), 403, 'InvalidAction');
});

/* ---- decoding ---- */

for (const bad of ['%ZZ', '%4', 'abc%', '%G1x']) {
	test(`malformed percent-encoding ${JSON.stringify(bad)} in the query -> 400 InvalidParameter`, async () => {
		const r = h.rawV1({ action: 'DescribeRegions' });
		r.query += `&Junk=${bad}`;
		h.assertRawError(await h.send(srv.port, r), 400,
		    'InvalidParameter');
	});
}

test('malformed percent-encoding in a form body -> 400 InvalidParameter', async () => {
	const r = h.rawV1({ method: 'POST', place: 'form',
	    action: 'DescribeRegions' });
	r.body += '&Junk=%Z1';
	h.assertRawError(await h.send(srv.port, r), 400, 'InvalidParameter');
});

test('form body over 1 MiB -> 400 InvalidParameter, server keeps serving', async () => {
	const r = h.rawV1({ method: 'POST', place: 'form',
	    action: 'DescribeRegions' });
	r.body += `&Pad=${'x'.repeat(2 << 20)}`;
	const b = h.assertRawError(await h.send(srv.port, r), 400,
	    'InvalidParameter');
	assert.match(b.Message, /body is larger than/);
	const ok = await h.send(srv.port, h.rawV1({ action: 'DescribeRegions' }));
	assert.equal(ok.status, 200, ok.text);
});

/*
 * Bytes that are not UTF-8 must be refused as bad input (400, full error
 * body). Found by this suite: they reach storage and JSON serialisation.
 */
test('invalid UTF-8 in a parameter value -> 400, not 500',
    async () => {
	const r = h.rawV1({ action: 'CreateVpc', version: h.VPC_VERSION,
	    params: [['RegionId', 'cn-hangzhou'], ['CidrBlock', '10.9.0.0/16'],
		['VpcName', h.encoded('%FF%FEab')]] });
	const res = await h.send(srv.port, r);
	assert.equal(res.status, 400, res.text);
	h.assertErrorBody(res.json);
});

test('invalid UTF-8 in a parameter name -> 400 with a full error body',
    async () => {
	const r = h.rawV1({ action: 'CreateVpc', version: h.VPC_VERSION,
	    params: [['RegionId', 'cn-hangzhou'], ['CidrBlock', '10.9.0.0/16'],
		[h.encoded('Tag.%FF'), 'x']] });
	const res = await h.send(srv.port, r);
	assert.equal(res.status, 400, res.text);
	h.assertErrorBody(res.json);
});

test('invalid UTF-8 in a tag key is refused, not silently dropped',
    async () => {
	const r = h.rawV1({ action: 'CreateVpc', version: h.VPC_VERSION,
	    params: [['RegionId', 'cn-shanghai'], ['CidrBlock', '10.9.0.0/16'],
		['Tag.1.Key', h.encoded('%FF')], ['Tag.1.Value', 'v']] });
	const res = await h.send(srv.port, r);
	if (res.status === 200)
		await h.send(srv.port, h.rawV1({ action: 'DeleteVpc',
		    version: h.VPC_VERSION, params: { VpcId: res.json.VpcId } }));
	assert.equal(res.status, 400, res.text);
	h.assertErrorBody(res.json);
});

/* ---- parameter placement ---- */

test('tea-rpc style: common params in the query, API params in a form body', async () => {
	const r = h.rawV1({ method: 'POST', place: 'split', action: 'DescribeZones',
	    params: { RegionId: 'cn-shanghai', AcceptLanguage: 'en-US' } });
	assert.ok(!r.query.includes('RegionId'));
	assert.ok(r.body.includes('RegionId=cn-shanghai'));
	const res = await h.send(srv.port, r);
	assert.equal(res.status, 200, res.text);
	const zones = res.json.Zones.Zone;
	assert.ok(Array.isArray(zones) && zones.length > 0);
	for (const z of zones) {
		assert.match(z.ZoneId, /^cn-shanghai-[a-z]$/);
		assert.match(z.LocalName, /^China \(Shanghai\)/);
	}
});

test('split request with a body parameter changed after signing is refused', async () => {
	const r = h.rawV1({ method: 'POST', place: 'split', action: 'DescribeZones',
	    params: { RegionId: 'cn-shanghai' } });
	r.body = 'RegionId=cn-beijing';
	h.assertRawError(await h.send(srv.port, r), 400, 'SignatureDoesNotMatch');
});

test('everything in a form body (pop-core POST style, raw)', async () => {
	const r = h.rawV1({ method: 'POST', place: 'form', action: 'DescribeZones',
	    params: { RegionId: 'ap-northeast-1' } });
	assert.equal(r.query, '');
	const res = await h.send(srv.port, r);
	assert.equal(res.status, 200, res.text);
	assert.match(res.json.Zones.Zone[0].ZoneId, /^ap-northeast-1-/);
});

test('legacy Go encoding: spaces as + in the query verify as %20', async () => {
	const r = h.rawV1({ action: 'DescribeRegions', plus: true,
	    params: { OwnerAccount: 'a b  c' } });
	assert.ok(r.query.includes('OwnerAccount=a+b++c'));
	const res = await h.send(srv.port, r);
	assert.equal(res.status, 200, res.text);
});

test('V3 (tea) with API params in a signed form body', async () => {
	const b = await h.teaCall(h.ecsV3(srv.port), 'DescribeZones',
	    h.ECS_VERSION, {}, { RegionId: 'cn-beijing' });
	assert.ok(Array.isArray(b.Zones.Zone));
	assert.match(b.Zones.Zone[0].ZoneId, /^cn-beijing-/);
});

test('V3 body not matching x-acs-content-sha256 -> IncompleteSignature 400', async () => {
	const good = h.rawV3({ port: srv.port, action: 'DescribeZones',
	    body: 'RegionId=cn-beijing' });
	const ok = await h.send(srv.port, good);
	assert.equal(ok.status, 200, ok.text);
	assert.match(ok.json.Zones.Zone[0].ZoneId, /^cn-beijing-/);

	/* signed over the hash of one body, sending another */
	const r = h.rawV3({ port: srv.port, action: 'DescribeZones',
	    body: 'RegionId=cn-beijing' });
	r.body = 'RegionId=cn-shanghai';
	h.assertRawError(await h.send(srv.port, r), 400, 'IncompleteSignature');

	/* a hash that was never right, consistently signed */
	const s = h.rawV3({ port: srv.port, action: 'DescribeZones',
	    body: 'RegionId=cn-beijing', sentHash: '0'.repeat(64) });
	h.assertRawError(await h.send(srv.port, s), 400, 'IncompleteSignature');
});

/* ---- special characters through every client ---- */

test('special characters pass signature verification: tea V3', async () => {
	const r = await h.ecsV3(srv.port).describeRegions(Req({
	    ownerAccount: SPECIAL, resourceOwnerAccount: SPECIAL }));
	assert.equal(r.statusCode, 200);
	assert.deepEqual(r.body.regions.region.map((x) => x.regionId), h.REGIONS);
});

test('special characters pass signature verification: tea V1', async () => {
	const r = await h.ecsV1(srv.port).describeRegions(Req({
	    ownerAccount: SPECIAL, resourceOwnerAccount: SPECIAL }));
	assert.equal(r.statusCode, 200);
	assert.equal(r.body.regions.region.length, h.REGIONS.length);
});

test('special characters pass signature verification: ecs-v4', async () => {
	const r = await h.ecsV4(srv.port).describeRegions(ReqV4({
	    ownerAccount: SPECIAL }));
	assert.equal(r.statusCode, 200);
	assert.equal(r.body.regions.region.length, h.REGIONS.length);
});

test('special characters pass signature verification: pop-core GET/POST', async () => {
	const p = h.pop(srv.port);
	for (const call of [p.get, p.post]) {
		const b = await call('DescribeZones', { RegionId: 'cn-hangzhou',
		    OwnerAccount: SPECIAL });
		assert.ok(Array.isArray(b.Zones.Zone));
	}
});

test('special characters pass signature verification: raw V1/V3, form body', async () => {
	for (const r of [
		h.rawV1({ action: 'DescribeRegions', params: { OwnerAccount: SPECIAL } }),
		h.rawV1({ method: 'POST', place: 'split', action: 'DescribeRegions',
		    params: { OwnerAccount: SPECIAL } }),
		h.rawV3({ port: srv.port, action: 'DescribeRegions',
		    params: { OwnerAccount: SPECIAL } }),
		h.rawV3({ port: srv.port, action: 'DescribeRegions',
		    body: `OwnerAccount=${h.pct(SPECIAL)}` }),
	]) {
		const res = await h.send(srv.port, r);
		assert.equal(res.status, 200, res.text);
	}
});

test('special characters in the V3 SDK wire format: ( ) ! * \' unescaped', async () => {
	/* what openapi-core puts on the wire for these (ecs-api.md §1.2) */
	const r = h.rawV3({ port: srv.port, action: 'DescribeRegions',
	    params: { OwnerAccount: "a(b)!c*d'e" } });
	assert.equal(r.query, 'OwnerAccount=a%28b%29%21c%2Ad%27e');
	r.query = "OwnerAccount=a(b)!c*d'e";
	const res = await h.send(srv.port, r);
	assert.equal(res.status, 200, res.text);
});

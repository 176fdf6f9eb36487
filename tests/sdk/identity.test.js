'use strict';
/*
 * Identity: every call authorized by RAM policy, STS role sessions,
 * PassRole — through the official clients: @alicloud/ram20150501 and
 * @alicloud/sts20150401 (Tea on openapi-core, V3), @alicloud/ecs20140526
 * (V3, and V1 via signatureAlgorithm 'v2'), pop-core (V1, with an
 * http.Agent bound to another loopback address to vary acs:SourceIp).
 *
 * Covers the seed's examples (seed-spec §3, §4): Sysadmins and Developers
 * groups and a user moving between them; a policy refusing calls from
 * outside the corporate network (by TCP peer, and by a trusted proxy's
 * header on a second server); resource-level permission on one security
 * group; another account seeing nothing unless a role of this account
 * lets it in; AssumeRole with and without trust and with a session
 * policy; temporary credentials on every client; token errors; key
 * deactivation; ram:PassRole on RunInstances.
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const h = require('./harness');

const PopCore = require('@alicloud/pop-core');
const Ram = require('@alicloud/ram20150501');
const Sts = require('@alicloud/sts20150401');

const srv = h.useServer();
const proxied = h.useServer(['--trusted-proxy-header', 'X-Forwarded-For']);

/* ---- clients ---- */

function cfg(o = {}) {
	return new h.OpenApiCore.$OpenApiUtil.Config({
	    accessKeyId: o.akid || h.AKID, accessKeySecret: o.secret || h.SECRET,
	    securityToken: o.token, endpoint: `127.0.0.1:${o.port || srv.port}`,
	    protocol: 'http', regionId: 'cn-hangzhou', signatureAlgorithm: o.sig,
	    readTimeout: 10000, connectTimeout: 5000 });
}

/* Any action of a generated Tea client: Mod (module), make (client). */
async function tea(Mod, client, action, params = {}) {
	const Req = Mod[`${action}Request`];
	const fn = client[h.lcFirst(action)].bind(client);
	const r = Req ? await fn(new Req(h.camel(params))) : await fn();
	assert.equal(r.statusCode, 200);
	return r.body.toMap();
}

const ram = (a, p, o) => tea(Ram, new Ram.default(cfg(o)), a, p);
const sts = (a, p, o) => tea(Sts, new Sts.default(cfg(o)), a, p);
const ecs = (a, p, o) => tea(h.Ecs, new h.Ecs.default(cfg(o)), a, p);
const ecsV1 = (a, p, o) => tea(h.Ecs, new h.Ecs.default(cfg({ ...o,
    sig: 'v2' })), a, p);

/*
 * pop-core V1 (POST) from a chosen loopback address, with optional extra
 * headers; o: { akid, secret, token, port }.
 */
function popFrom(o, localAddress, headers) {
	const c = new PopCore({ accessKeyId: o.akid || h.AKID,
	    accessKeySecret: o.secret || h.SECRET, securityToken: o.token,
	    endpoint: `http://127.0.0.1:${o.port || srv.port}`,
	    apiVersion: h.ECS_VERSION });
	const plain = (b) => JSON.parse(JSON.stringify(b));
	return async (action, params = {}) => plain(await c.request(action,
	    params, { method: 'POST', timeout: 10000,
	    agent: new http.Agent({ localAddress }),
	    ...(headers ? { headers } : {}) }));
}

/* A Tea call that must fail; checks AccessDeniedDetail when asked. */
async function denied(promise, status, code, detail) {
	const err = await h.teaRejects(promise, status, code);
	if (detail) {
		const d = err.accessDeniedDetail;
		assert.ok(d, 'error has accessDeniedDetail');
		for (const [k, v] of Object.entries(detail))
			assert.equal(d[k], v, `AccessDeniedDetail.${k}`);
		assert.match(d.AuthPrincipalOwnerId, /^1\d{15}$/);
		assert.ok(d.AuthPrincipalDisplayName.length > 0);
	}
	return err;
}

const doc = (...statements) => JSON.stringify({ Version: '1',
    Statement: statements });

/* A RAM user with a key and, optionally, custom policy documents. */
async function user(name, docs = [], o = {}) {
	await ram('CreateUser', { UserName: name }, o);
	for (const [i, d] of docs.entries()) {
		await ram('CreatePolicy', { PolicyName: `${name}-p${i}`,
		    PolicyDocument: d }, o);
		await ram('AttachPolicyToUser', { PolicyType: 'Custom',
		    PolicyName: `${name}-p${i}`, UserName: name }, o);
	}
	const k = (await ram('CreateAccessKey', { UserName: name }, o))
	    .AccessKey;
	return { akid: k.AccessKeyId, secret: k.AccessKeySecret };
}

async function newGroup() {
	return (await ecs('CreateSecurityGroup', { RegionId: 'cn-hangzhou' }))
	    .SecurityGroupId;
}

/* ---- tests ---- */

test('Sysadmins and Developers: a user moved between groups gains and ' +
    'loses rights at once', async () => {
	await ram('CreateGroup', { GroupName: 'Sysadmins' });
	await ram('CreateGroup', { GroupName: 'Developers' });
	await ram('AttachPolicyToGroup', { PolicyType: 'System',
	    PolicyName: 'AliyunECSFullAccess', GroupName: 'Sysadmins' });
	await ram('CreatePolicy', { PolicyName: 'DevelopersEcs',
	    PolicyDocument: doc({ Effect: 'Allow', Action: [
		'ecs:DescribeInstances', 'ecs:StartInstance', 'ecs:StopInstance',
		'ecs:CreateInstance', 'ecs:DeleteInstance'], Resource: '*' }) });
	await ram('AttachPolicyToGroup', { PolicyType: 'Custom',
	    PolicyName: 'DevelopersEcs', GroupName: 'Developers' });
	const alice = await user('alice');
	await ram('AddUserToGroup', { GroupName: 'Developers',
	    UserName: 'alice' });

	await ecs('DescribeInstances', { RegionId: 'cn-hangzhou' }, alice);
	await ecsV1('DescribeInstances', { RegionId: 'cn-hangzhou' }, alice);
	/* Allowed, and then the instance is not there. */
	await h.teaRejects(ecs('StartInstance', { InstanceId: 'i-nothere' },
	    alice), 404, 'InvalidInstanceId.NotFound');
	const uid = (await ram('GetUser', { UserName: 'alice' })).User.UserId;
	await denied(ecs('CreateSecurityGroup', { RegionId: 'cn-hangzhou' },
	    alice), 403, 'Forbidden.RAM', { AuthAction: 'ecs:CreateSecurityGroup',
	    AuthPrincipalType: 'SubUser', AuthPrincipalDisplayName: uid,
	    PolicyType: 'AccountLevelIdentityBasedPolicy',
	    NoPermissionType: 'ImplicitDeny' });
	await h.popFails(h.pop(srv.port, alice).post('CreateSecurityGroup',
	    { RegionId: 'cn-hangzhou' }), 403, 'Forbidden.RAM');
	/* Developers cannot manage RAM either. */
	await denied(ram('CreateUser', { UserName: 'mallory' }, alice), 403,
	    'NoPermission', { AuthAction: 'ram:CreateUser' });

	await ram('RemoveUserFromGroup', { GroupName: 'Developers',
	    UserName: 'alice' });
	await ram('AddUserToGroup', { GroupName: 'Sysadmins',
	    UserName: 'alice' });
	const sg = (await ecs('CreateSecurityGroup', { RegionId: 'cn-hangzhou' },
	    alice)).SecurityGroupId;
	await ecs('AuthorizeSecurityGroup', { RegionId: 'cn-hangzhou',
	    SecurityGroupId: sg, IpProtocol: 'tcp', PortRange: '22/22',
	    SourceCidrIp: '10.0.0.0/8' }, alice);

	await ram('RemoveUserFromGroup', { GroupName: 'Sysadmins',
	    UserName: 'alice' });
	await ram('AddUserToGroup', { GroupName: 'Developers',
	    UserName: 'alice' });
	await denied(ecs('DeleteSecurityGroup', { RegionId: 'cn-hangzhou',
	    SecurityGroupId: sg }, alice), 403, 'Forbidden.RAM');
	await ecs('DescribeInstances', { RegionId: 'cn-hangzhou' }, alice);
});

test('a policy denies calls from outside the corporate network', async () => {
	/* The "corporate network" is 127.0.0.2; the client default is .1. */
	const corp = await user('corp', [doc(
	    { Effect: 'Allow', Action: 'ecs:*', Resource: '*' },
	    { Effect: 'Deny', Action: '*', Resource: '*', Condition: {
		NotIpAddress: { 'acs:SourceIp': ['127.0.0.2/32', '10.8.0.0/16'] } } })]);
	const inside = popFrom(corp, '127.0.0.2');
	const outside = popFrom(corp, '127.0.0.3');
	const r = await inside('DescribeRegions');
	assert.ok(r.Regions.Region.length > 0);
	const err = await h.popRejects(outside('DescribeRegions'),
	    'Forbidden.RAM');
	assert.equal(err.data.AccessDeniedDetail.NoPermissionType,
	    'ExplicitDeny');
	await denied(ecs('DescribeRegions', {}, corp), 403, 'Forbidden.RAM',
	    { NoPermissionType: 'ExplicitDeny' });
	/* A forwarding header means nothing unless the operator trusts it. */
	await h.popRejects(popFrom(corp, '127.0.0.3',
	    { 'x-forwarded-for': '127.0.0.2' })('DescribeRegions'),
	    'Forbidden.RAM');
});

test('behind a trusted proxy, acs:SourceIp is the address it forwards',
    async () => {
	const port = proxied.port;
	const o = { port };
	const corp = await user('corp', [doc(
	    { Effect: 'Allow', Action: 'ecs:*', Resource: '*', Condition: {
		IpAddress: { 'acs:SourceIp': '203.0.113.0/24' } } })], o);
	const c = { ...corp, port };
	const from = (xff) => popFrom(c, '127.0.0.1',
	    xff ? { 'x-forwarded-for': xff } : undefined)('DescribeRegions');
	await from('203.0.113.50');
	await from('198.51.100.7, 203.0.113.50');
	await h.popRejects(from('203.0.113.50, 198.51.100.7'), 'Forbidden.RAM');
	await h.popRejects(from(null), 'Forbidden.RAM');
});

test('resource-level permission on one security group', async () => {
	const a = await newGroup();
	const b = await newGroup();
	const sgops = await user('sgops', [doc({ Effect: 'Allow', Action: [
	    'ecs:AuthorizeSecurityGroup', 'ecs:RevokeSecurityGroup',
	    'ecs:DescribeSecurityGroupAttribute'],
	    Resource: `acs:ecs:*:*:securitygroup/${a}` })]);
	const rule = (id) => ({ RegionId: 'cn-hangzhou', SecurityGroupId: id,
	    IpProtocol: 'tcp', PortRange: '443/443', SourceCidrIp: '0.0.0.0/0' });
	await ecs('AuthorizeSecurityGroup', rule(a), sgops);
	const attr = await ecs('DescribeSecurityGroupAttribute',
	    { RegionId: 'cn-hangzhou', SecurityGroupId: a }, sgops);
	assert.equal(attr.Permissions.Permission.length, 1);
	await denied(ecs('AuthorizeSecurityGroup', rule(b), sgops), 403,
	    'Forbidden.RAM', { AuthAction: 'ecs:AuthorizeSecurityGroup' });
	await denied(ecsV1('DescribeSecurityGroupAttribute',
	    { RegionId: 'cn-hangzhou', SecurityGroupId: b }, sgops), 403,
	    'Forbidden.RAM');
	await ecs('RevokeSecurityGroup', rule(a), sgops);
	/* Not the other actions on it. */
	await denied(ecs('DeleteSecurityGroup', { RegionId: 'cn-hangzhou',
	    SecurityGroupId: a }, sgops), 403, 'Forbidden.RAM');
});

test('another account cannot see, change or reference these groups ' +
    'unless a role lets it', async () => {
	const mine = await newGroup();
	const acctA = h.rootAccount(srv.srv);
	const b = h.createAccount(srv.srv, 'partner');
	const rootB = { akid: b.akid, secret: b.secret };
	const gone = (p) => h.teaRejects(p, 404,
	    'InvalidSecurityGroupId.NotFound');
	await gone(ecs('DescribeSecurityGroupAttribute', { RegionId:
	    'cn-hangzhou', SecurityGroupId: mine }, rootB));
	await gone(ecs('ModifySecurityGroupAttribute', { RegionId:
	    'cn-hangzhou', SecurityGroupId: mine, SecurityGroupName: 'x' },
	    rootB));
	await gone(ecs('DeleteSecurityGroup', { RegionId: 'cn-hangzhou',
	    SecurityGroupId: mine }, rootB));
	const listed = await ecs('DescribeSecurityGroups',
	    { RegionId: 'cn-hangzhou' }, rootB);
	assert.equal(listed.SecurityGroups.SecurityGroup.length, 0);
	/* A rule of B's naming A's group as its source. */
	const bGroup = (await ecs('CreateSecurityGroup',
	    { RegionId: 'cn-hangzhou' }, rootB)).SecurityGroupId;
	await h.teaRejects(ecs('AuthorizeSecurityGroup', { RegionId:
	    'cn-hangzhou', SecurityGroupId: bGroup, IpProtocol: 'tcp',
	    PortRange: '22/22', SourceGroupId: mine }, rootB), 404,
	    'InvalidSourceGroupId.NotFound');
	const bAttr = await ecs('DescribeSecurityGroupAttribute',
	    { RegionId: 'cn-hangzhou', SecurityGroupId: bGroup }, rootB);
	assert.equal(bAttr.Permissions.Permission.length, 0);

	/* A lets B's users read through a role trusting account B. */
	await ram('CreateRole', { RoleName: 'PartnerRead',
	    AssumeRolePolicyDocument: JSON.stringify({ Version: '1',
		Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole',
		    Principal: { RAM: [`acs:ram::${b.account}:root`] } }] }) });
	await ram('AttachPolicyToRole', { PolicyType: 'System',
	    PolicyName: 'AliyunECSReadOnlyAccess', RoleName: 'PartnerRead' });
	const bob = await user('bob', [], rootB);
	const arn = `acs:ram::${acctA}:role/PartnerRead`;
	/* Without sts:AssumeRole in B, bob cannot even ask. */
	await denied(sts('AssumeRole', { RoleArn: arn, RoleSessionName: 'bob' },
	    bob), 403, 'NoPermission', { AuthAction: 'sts:AssumeRole' });
	await ram('AttachPolicyToUser', { PolicyType: 'System',
	    PolicyName: 'AliyunSTSAssumeRoleAccess', UserName: 'bob' }, rootB);
	const cr = (await sts('AssumeRole', { RoleArn: arn,
	    RoleSessionName: 'bob' }, bob)).Credentials;
	const sess = { akid: cr.AccessKeyId, secret: cr.AccessKeySecret,
	    token: cr.SecurityToken };
	const who = await sts('GetCallerIdentity', {}, sess);
	assert.equal(who.AccountId, acctA);
	assert.equal(who.IdentityType, 'AssumedRoleUser');
	const seen = await ecs('DescribeSecurityGroupAttribute',
	    { RegionId: 'cn-hangzhou', SecurityGroupId: mine }, sess);
	assert.equal(seen.SecurityGroupId, mine);
	await denied(ecs('ModifySecurityGroupAttribute', { RegionId:
	    'cn-hangzhou', SecurityGroupId: mine, SecurityGroupName: 'x' }, sess),
	    403, 'Forbidden.RAM', { AuthPrincipalType: 'AssumedRoleUser',
	    AuthPrincipalDisplayName: 'PartnerRead:bob' });
	/* B's own root still sees nothing of A. */
	await gone(ecs('DescribeSecurityGroupAttribute', { RegionId:
	    'cn-hangzhou', SecurityGroupId: mine }, rootB));
});

test('AssumeRole: trust, caller permission, session policy, credentials ' +
    'on every client', async () => {
	const acct = h.rootAccount(srv.srv);
	const trustAcct = JSON.stringify({ Version: '1', Statement: [{
	    Effect: 'Allow', Action: 'sts:AssumeRole',
	    Principal: { RAM: [`acs:ram::${acct}:root`] } }] });
	const trustEcs = JSON.stringify({ Version: '1', Statement: [{
	    Effect: 'Allow', Action: 'sts:AssumeRole',
	    Principal: { Service: ['ecs.aliyuncs.com'] } }] });
	await ram('CreateRole', { RoleName: 'Operator',
	    AssumeRolePolicyDocument: trustAcct, MaxSessionDuration: 7200 });
	await ram('AttachPolicyToRole', { PolicyType: 'System',
	    PolicyName: 'AliyunECSFullAccess', RoleName: 'Operator' });
	await ram('CreateRole', { RoleName: 'ForInstances',
	    AssumeRolePolicyDocument: trustEcs });
	const dev = await user('dev', [doc({ Effect: 'Allow',
	    Action: 'sts:AssumeRole', Resource: '*' })]);
	const op = `acs:ram::${acct}:role/Operator`;

	/* The account root may not assume roles. */
	await h.teaRejects(sts('AssumeRole', { RoleArn: op,
	    RoleSessionName: 'root' }), 403, 'NoPermission');
	/* A role trusting only ECS. */
	await denied(sts('AssumeRole', { RoleArn:
	    `acs:ram::${acct}:role/ForInstances`, RoleSessionName: 's1' }, dev),
	    403, 'NoPermission', { PolicyType: 'AssumeRolePolicy',
	    AuthAction: 'sts:AssumeRole' });
	await h.teaRejects(sts('AssumeRole', { RoleArn: op,
	    RoleSessionName: 's1', DurationSeconds: 600 }, dev), 400,
	    'InvalidParameter.DurationSeconds');
	await h.teaRejects(sts('AssumeRole', { RoleArn: op,
	    RoleSessionName: 's1', Policy: '{"Version":"1"' }, dev), 400,
	    'InvalidParameter.PolicyGrammar');
	await h.teaRejects(sts('AssumeRole', { RoleArn:
	    `acs:ram::${acct}:role/Nope`, RoleSessionName: 's1' }, dev), 404,
	    'EntityNotExist.Role');

	const r = await sts('AssumeRole', { RoleArn: op,
	    RoleSessionName: 'dev-session', DurationSeconds: 7200 }, dev);
	assert.match(r.Credentials.AccessKeyId, /^STS\.[A-Za-z0-9]{24}$/);
	assert.match(r.Credentials.Expiration, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
	const left = Date.parse(r.Credentials.Expiration) - Date.now();
	assert.ok(left > 7100e3 && left <= 7200e3, `lifetime ${left} ms`);
	assert.equal(r.AssumedRoleUser.Arn,
	    `acs:ram::${acct}:role/Operator/dev-session`);
	assert.match(r.AssumedRoleUser.AssumedRoleId, /^3\d{15}:dev-session$/);
	const s = { akid: r.Credentials.AccessKeyId,
	    secret: r.Credentials.AccessKeySecret,
	    token: r.Credentials.SecurityToken };

	/* The session acts as the role, on every client and signature. */
	const sg = (await ecs('CreateSecurityGroup', { RegionId: 'cn-hangzhou' },
	    s)).SecurityGroupId;
	await ecsV1('DescribeSecurityGroupAttribute', { RegionId: 'cn-hangzhou',
	    SecurityGroupId: sg }, s);
	const viaPop = await popFrom(s, '127.0.0.1')('DescribeSecurityGroups',
	    { RegionId: 'cn-hangzhou' });
	assert.ok(viaPop.SecurityGroups.SecurityGroup.length >= 1);
	await denied(ram('ListUsers', {}, s), 403, 'NoPermission',
	    { AuthPrincipalType: 'AssumedRoleUser',
	    AuthPrincipalDisplayName: 'Operator:dev-session' });
	const who = await sts('GetCallerIdentity', {}, s);
	assert.equal(who.IdentityType, 'AssumedRoleUser');
	assert.equal(who.Arn, r.AssumedRoleUser.Arn);
	assert.equal(who.PrincipalId, r.AssumedRoleUser.AssumedRoleId);

	/* A session policy narrows the role. */
	const n = await sts('AssumeRole', { RoleArn: op,
	    RoleSessionName: 'narrow', Policy: doc({ Effect: 'Allow',
		Action: 'ecs:Describe*', Resource: '*' }) }, dev);
	const ns = { akid: n.Credentials.AccessKeyId,
	    secret: n.Credentials.AccessKeySecret,
	    token: n.Credentials.SecurityToken };
	await ecs('DescribeSecurityGroups', { RegionId: 'cn-hangzhou' }, ns);
	await denied(ecs('CreateSecurityGroup', { RegionId: 'cn-hangzhou' }, ns),
	    403, 'Forbidden.RAM', { PolicyType: 'SessionPolicy',
	    NoPermissionType: 'ImplicitDeny' });

	/* Tokens: another session's, a damaged one. */
	await h.teaRejects(ecs('DescribeRegions', {}, { ...s, token: ns.token }),
	    400, 'InvalidSecurityToken.MismatchWithAccessKey');
	const bad = s.token.slice(0, -1) + (s.token.endsWith('A') ? 'B' : 'A');
	await h.teaRejects(ecs('DescribeRegions', {}, { ...s, token: bad }),
	    400, 'InvalidSecurityToken.Malformed');
	await h.teaRejects(ecs('DescribeRegions', {}, { ...s, token: 'x' }),
	    400, 'InvalidSecurityToken.Malformed');
});

test('GetCallerIdentity for the account, a RAM user and a role session',
    async () => {
	const acct = h.rootAccount(srv.srv);
	const root = await sts('GetCallerIdentity');
	assert.deepEqual({ ...root, RequestId: undefined }, {
	    RequestId: undefined, IdentityType: 'Account', AccountId: acct,
	    Arn: `acs:ram::${acct}:root`, PrincipalId: acct, UserId: acct });
	const k = await user('plain');
	const u = await sts('GetCallerIdentity', {}, k);
	const uid = (await ram('GetUser', { UserName: 'plain' })).User.UserId;
	assert.equal(u.IdentityType, 'RAMUser');
	assert.equal(u.Arn, `acs:ram::${acct}:user/plain`);
	assert.equal(u.UserId, uid);
	assert.equal(u.PrincipalId, uid);
	/* No policy needed, even with a deny-all attached. */
	await ram('CreatePolicy', { PolicyName: 'DenyAll', PolicyDocument:
	    doc({ Effect: 'Deny', Action: '*', Resource: '*' }) });
	await ram('AttachPolicyToUser', { PolicyType: 'Custom',
	    PolicyName: 'DenyAll', UserName: 'plain' });
	assert.equal((await sts('GetCallerIdentity', {}, k)).UserId, uid);
});

test('an Inactive or deleted AccessKey stops working at once', async () => {
	const k = await user('rotating');
	await ram('AttachPolicyToUser', { PolicyType: 'System',
	    PolicyName: 'AliyunECSReadOnlyAccess', UserName: 'rotating' });
	await ecs('DescribeRegions', {}, k);
	await ram('UpdateAccessKey', { UserName: 'rotating',
	    UserAccessKeyId: k.akid, Status: 'Inactive' });
	await h.teaRejects(ecs('DescribeRegions', {}, k), 403,
	    'Forbidden.AccessKeyDisabled');
	await ram('UpdateAccessKey', { UserName: 'rotating',
	    UserAccessKeyId: k.akid, Status: 'Active' });
	await ecs('DescribeRegions', {}, k);
	await ram('DeleteAccessKey', { UserName: 'rotating',
	    UserAccessKeyId: k.akid });
	await h.teaRejects(ecs('DescribeRegions', {}, k), 404,
	    'InvalidAccessKeyId.NotFound');
});

test('ram:PassRole and an ECS-trusting role for RunInstances', async () => {
	const acct = h.rootAccount(srv.srv);
	await ram('CreateRole', { RoleName: 'EcsRamRoleDocumentTesting',
	    AssumeRolePolicyDocument: JSON.stringify({ Version: '1',
		Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow',
		    Principal: { Service: ['ecs.aliyuncs.com'] } }] }) });
	await ram('CreateRole', { RoleName: 'NotForEcs',
	    AssumeRolePolicyDocument: JSON.stringify({ Version: '1',
		Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow',
		    Principal: { RAM: [`acs:ram::${acct}:root`] } }] }) });
	const { vswId } = await h.makeVpc(srv.port, { cidr: '10.50.0.0/16',
	    vswCidr: '10.50.1.0/24' });
	const launcher = await user('launcher', [doc({ Effect: 'Allow',
	    Action: ['ecs:RunInstances', 'ecs:CreateInstance',
		'ecs:DescribeInstances'], Resource: '*' })]);
	const run = (role, o) => ecs('RunInstances', { RegionId: 'cn-hangzhou',
	    InstanceType: 'ecs.g6.large', ImageId: 'img1', VSwitchId: vswId,
	    RamRoleName: role }, o);
	await denied(run('EcsRamRoleDocumentTesting', launcher), 403,
	    'Forbidden.RAM', { AuthAction: 'ram:PassRole' });
	await ram('CreatePolicy', { PolicyName: 'PassEcsRole', PolicyDocument:
	    doc({ Effect: 'Allow', Action: 'ram:PassRole', Resource:
		'acs:ram:*:*:role/EcsRamRoleDocumentTesting' }) });
	await ram('AttachPolicyToUser', { PolicyType: 'Custom',
	    PolicyName: 'PassEcsRole', UserName: 'launcher' });
	const ids = (await run('EcsRamRoleDocumentTesting', launcher))
	    .InstanceIdSets.InstanceIdSet;
	assert.equal(ids.length, 1);
	const d = await ecs('DescribeInstances', { RegionId: 'cn-hangzhou',
	    InstanceIds: JSON.stringify(ids) }, launcher);
	assert.equal(d.Instances.Instance[0].InstanceId, ids[0]);
	await denied(run('NotForEcs', launcher), 403, 'Forbidden.RAM');
	/* The root passes any role, but it must trust ECS and exist. */
	await h.teaRejects(run('NotForEcs'), 401, 'InvalidRamRole.NotEcsRole');
	await h.teaRejects(run('NoSuchRole'), 404, 'InvalidRamRole.NotFound');
});

/*
 * The error catalogue: the single list every error of sekisho comes from.
 * ERR_X(name, http_status, "Code", "Message") — the enum (err.h), the
 * status/code mapping (err.c) and docs/errors.md (make docs) are generated
 * from it. A "%s" in a message is replaced by the call's detail (usually a
 * parameter name); codes are spelt exactly as Alibaba spells them, typos
 * included (COMPAT: ../shared/spec/ecs-api.md §3, §9.3 item 17).
 */
/* Internal (never leave the process as such). */
ERR_X(NOT_FOUND, 404, "NotFound", "The specified resource %s does not exist.")
ERR_X(NOMEM, 500, "InternalError", "The request processing has failed due to some unknown error, exception or failure.")
ERR_X(INTERNAL, 500, "InternalError", "The request processing has failed due to some unknown error, exception or failure.")
ERR_X(STORE, 500, "InternalError", "The request processing has failed due to some unknown error, exception or failure.")
ERR_X(SERVICE_UNAVAILABLE, 503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.")
/* Gateway: decoding, authentication, dispatch. */
ERR_X(MISSING_PARAMETER, 400, "MissingParameter", "The input parameter \"%s\" that is mandatory for processing this request is not supplied.")
ERR_X(INVALID_PARAMETER, 400, "InvalidParameter", "The specified parameter \"%s\" is not valid.")
ERR_X(UNSUPPORTED_HTTP_METHOD, 403, "UnsupportedHTTPMethod", "This HTTP method is not supported.")
ERR_X(INVALID_ACTION, 403, "InvalidAction", "Specified action is not valid.")
ERR_X(INVALID_VERSION, 400, "InvalidParameter", "The specified parameter \"Action or Version\" is not valid.")
ERR_X(INVALID_SIGNATURE_METHOD, 400, "InvalidParamater", "The specified parameter \"%s\" is not valid.")
ERR_X(INCOMPLETE_SIGNATURE, 400, "IncompleteSignature", "The request signature does not conform to Aliyun standards. %s")
ERR_X(SIGNATURE_MISMATCH, 400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation. server string to sign is:%s")
ERR_X(ILLEGAL_TIMESTAMP, 400, "IllegalTimestamp", "The input parameter \"Timestamp\" that is mandatory for processing this request is not supplied.")
ERR_X(TIMESTAMP_FORMAT, 400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.")
ERR_X(TIMESTAMP_EXPIRED, 400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
ERR_X(NONCE_USED, 400, "SignatureNonceUsed", "Specified signature nonce was used already.")
ERR_X(ACCESS_KEY_NOT_FOUND, 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
ERR_X(ACCESS_KEY_DISABLED, 403, "Forbidden.AccessKeyDisabled", "The Access Key is disabled.")
ERR_X(MISSING_SECURITY_TOKEN, 400, "MissingSecurityToken", "The input parameter \"SecurityToken\" that is mandatory for processing this request is not supplied.")
ERR_X(SECURITY_TOKEN_MALFORMED, 400, "InvalidSecurityToken.Malformed", "The security token you provided is malformed.")
ERR_X(SECURITY_TOKEN_MISMATCH, 400, "InvalidSecurityToken.MismatchWithAccessKey", "The security token you provided does not match the access key.")
ERR_X(SECURITY_TOKEN_EXPIRED, 400, "InvalidSecurityToken.Expired", "The security token you provided has expired.")
ERR_X(FORBIDDEN_RAM, 403, "Forbidden.RAM", "User not authorized to operate on the specified resource, or this API doesn't support RAM.")
ERR_X(NO_PERMISSION, 403, "NoPermission", "You are not authorized to do this action. %s")
ERR_X(BODY_TOO_LARGE, 400, "InvalidParameter", "The request body is larger than %s bytes.")
ERR_X(IDEMPOTENT_MISMATCH, 400, "IdempotentParameterMismatch", "The request is retried with updated parameters.")
ERR_X(INVALID_CLIENT_TOKEN, 400, "InvalidClientToken.Malformed", "The specified parameter \"ClientToken\" is not valid.")
ERR_X(THROTTLING, 400, "Throttling", "You have made too many requests within a short time; your request is denied due to request throttling.")
/* Regions and zones. */
ERR_X(REGION_NOT_FOUND, 404, "InvalidRegionId.NotFound", "The specified RegionId does not exist.")
ERR_X(ZONE_NOT_FOUND, 404, "InvalidZoneId.NotFound", "The specified zone does not exist.")
ERR_X(ACCEPT_LANGUAGE_NOT_FOUND, 404, "InvalidAcceptLanguage.NotFound", "Only Chinese (zh-CN), English (en-US), and Japanese (ja) are allowed.")
ERR_X(RESOURCE_TYPE_NOT_FOUND, 404, "InvalidResourceType.NotFound", "The ResourceType provided does not exist in our records.")
/* VPC 2016-04-28. */
ERR_X(VPC_NOT_FOUND, 404, "InvalidVpcId.NotFound", "Specified VPC does not exist.")
ERR_X(VSWITCH_NOT_FOUND, 404, "InvalidVSwitchId.NotFound", "Specified virtual switch does not exist.")
ERR_X(CIDR_MALFORMED, 400, "InvalidCidrBlock.Malformed", "Specified CIDR block is not valid. %s")
ERR_X(VSWITCH_CIDR_NOT_IN_VPC, 400, "InvalidCidrBlock.Mismatch", "Specified vSwitch CIDR block %s is not within the CIDR block of the VPC.")
ERR_X(VSWITCH_CIDR_OVERLAP, 400, "InvalidCidrBlock.Overlapped", "Specified CIDR block %s overlaps with the CIDR block of another vSwitch.")
ERR_X(VPC_NAME_MALFORMED, 400, "InvalidVpcName.Malformed", "Specified VPC name is not valid.")
ERR_X(VSWITCH_NAME_MALFORMED, 400, "InvalidVSwitchName.Malformed", "Specified vSwitch name is not valid.")
ERR_X(DESCRIPTION_MALFORMED, 400, "InvalidDescription.Malformed", "Specified description is not valid.")
ERR_X(VPC_QUOTA, 403, "QuotaExceeded.Vpc", "The number of VPCs in this region has reached the quota.")
ERR_X(VSWITCH_QUOTA, 403, "QuotaExceeded.VSwitch", "The number of vSwitches in this VPC has reached the quota (%s).")
ERR_X(VPC_DEPENDENCY_VSWITCH, 400, "DependencyViolation.VSwitch", "Specified VPC still has vSwitches (%s).")
ERR_X(VSWITCH_DEPENDENCY, 400, "DependencyViolation", "Specified vSwitch still has dependent resources (%s).")
ERR_X(TAG_KEY_MALFORMED, 400, "InvalidTagKey.Malformed", "The specified tag key is not valid.")
ERR_X(TAG_VALUE_MALFORMED, 400, "InvalidTagValue.Malformed", "The specified tag value is not valid.")
ERR_X(TAG_KEY_DUPLICATE, 400, "Duplicate.TagKey", "The Tag.N.Key contain duplicate key.")

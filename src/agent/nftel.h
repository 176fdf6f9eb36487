/*
 * nftel: set and map element deltas as one hand-built nfnetlink batch
 * (libnftnl + libmnl), the fast path beside nftb's libnftables scripts.
 *
 * A delta that changes only elements of existing sets and maps does not
 * need nft's parser, evaluator and cache (milliseconds, growing with the
 * ruleset): the element lines of struct fw_obj are encoded here exactly
 * as nft 1.0.6 encodes them and sent as NEWSETELEM / DELSETELEM messages
 * between one BATCH_BEGIN and BATCH_END (tens of microseconds).
 *
 * "Exactly" is the contract: after nftel_apply() the kernel holds what
 * the same change made with libnftables text would leave, so nftb_view()
 * listings match and the drift check stays quiet. Per set kind:
 *   plain set / map       one element: key (+ data, + comment).
 *   concatenation with    pipapo: one element, KEY = start, KEY_END =
 *   "flags interval"      inclusive end (also for single values).
 *   single field with     rbtree: a start element (data, comment) and an
 *   "flags interval"      end element (NFT_SET_ELEM_INTERVAL_END) at
 *                         last + 1, sorted by key; a range reaching the
 *                         top of the type has no end element and carries
 *                         NFTNL_SET_ELEM_F_INTERVAL_OPEN in its userdata.
 *   comments              userdata TLV NFTNL_UDATA_SET_ELEM_COMMENT (the
 *                         NUL-terminated string).
 * Deletes send the key part only (both elements of an rbtree range).
 * One difference is deliberate: nft adds a lone "interval end" element at
 * key 0 to an rbtree set it believes empty; the kernel ignores it for
 * lookups and listings do not show it, and reproducing it would need
 * the kernel's state, so nftel never sends it.
 *
 * Types: ifname, ether_addr, ipv4_addr, ipv6_addr, mark, inet_proto,
 * inet_service, and via typeof the ifname expressions (iifname, oifname,
 * fib daddr oifname, ...) and ct zone; data verdict, mark, ct zone.
 * Anything else in a decl is refused (-ERR_INVALID_PARAMETER) rather
 * than guessed at.
 */
#ifndef SEKISHO_NFTEL_H
#define SEKISHO_NFTEL_H

#include <stddef.h>
#include <stdint.h>

#include "lib/sb.h"

/*
 * One set's (or map's) element change. Lines are element lines exactly as
 * in struct fw_obj.lines (e.g. `"skv1" . 192.168.1.1 : jump p_ab12_in`,
 * `203.0.113.5 . tcp . 22 comment "sgr-ssh"`, `10.0.0.0/8 . tcp .
 * 1000-2000`, `192.168.0.0/16`, `"skea17db119" : 0xa17db119`,
 * `"skv1" : 1`). For a delete only the key part matters (data and comment
 * may be present; they are checked, not sent). The strings are the
 * caller's; nftel keeps no pointer after the call.
 */
struct nftel_change {
	int table;		/* FW_T_PORT or FW_T_SG (fw.h) */
	const char *set;	/* the object's name */
	const char *decl;	/* its fw_obj.decl */
	const char *const *del;
	size_t ndel;
	const char *const *add;
	size_t nadd;
};

/*
 * Encodes every change first: when a decl or a line cannot be encoded,
 * nothing is sent and the result is -ERR_INVALID_PARAMETER (err names
 * the set and the line). Then sends ONE batch — changes in the given
 * order, each set's deletes before its adds — into the network namespace
 * of nsfd, as one atomic transaction, and reads every acknowledgment.
 * 0 when the kernel committed it; -ERR_INTERNAL when it refused (err
 * receives the kernel's error and, where the kernel names it, the
 * element: the whole transaction was aborted, nothing changed) or the
 * socket failed; -ERR_NOMEM. err may be NULL. n == 0 (or no lines at
 * all) sends nothing and returns 0.
 *
 * The netlink socket is made inside the namespace (setns for the calling
 * thread, then back) and closed before returning. Error reports copy
 * what they quote: the caller's strings need only live for the call.
 */
int nftel_apply(int nsfd, const struct nftel_change *c, size_t n,
    struct sb *err);

/*
 * The same batch, open to other messages (nftrp.c adds rules, chains and
 * sets read from the shadow), still one transaction:
 *   nftel_tx_begin     a batch with its BATCH_BEGIN; free with
 *                      nftel_tx_free (NULL-safe), committed or not.
 *   nftel_tx_msg       opens the next message (NLM_F_ACK is added to
 *                      flags) and returns its header with at least
 *                      128 KiB free after it for the payload (libnftnl's
 *                      *_nlmsg_build_payload); NULL: out of memory, or a
 *                      message is already open. nftel_tx_end closes it
 *                      (0, or -ERR_INTERNAL when h is not the open one).
 *   nftel_tx_changes   appends element changes as nftel_apply encodes
 *                      them; -ERR_INVALID_PARAMETER appends nothing.
 *   nftel_tx_commit    BATCH_END, send into nsfd's namespace, read every
 *                      ACK: nftel_apply's results. Once per batch; a
 *                      batch without messages sends nothing (0).
 * After any error but -ERR_INVALID_PARAMETER from nftel_tx_changes the
 * batch is incomplete: free it, do not commit it.
 */
struct nftel_tx;
struct nlmsghdr;

int nftel_tx_begin(struct nftel_tx **tx);
void nftel_tx_free(struct nftel_tx *tx);
struct nlmsghdr *nftel_tx_msg(struct nftel_tx *tx, uint16_t type,
    uint16_t family, uint16_t flags);
int nftel_tx_end(struct nftel_tx *tx, struct nlmsghdr *h);
int nftel_tx_changes(struct nftel_tx *tx, const struct nftel_change *c,
    size_t n, struct sb *err);
int nftel_tx_commit(struct nftel_tx *tx, int nsfd, struct sb *err);

#endif

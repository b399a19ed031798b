// The CEL of the TeamGuard's ValidatingAdmissionPolicies, kept apart so the tests evaluate
// exactly what the policies carry. Each is built from what the installed engines need allowed
// (their EngineAdmission): the guard knows no engine by name.
import { EngineAdmission } from "../shared/engine";
import { partOfLabel, platformPartOf, teamLabel } from "../shared/names";

/** The CEL of one ValidatingAdmissionPolicy, as the policy carries it and the tests evaluate it. */
export interface AdmissionCel {
    /** All must be true for the policy to judge a request at all. */
    readonly matchConditions: ReadonlyArray<{ readonly name: string; readonly expression: string }>;
    readonly variables: ReadonlyArray<{ readonly name: string; readonly expression: string }>;
    readonly validations: ReadonlyArray<{ readonly expression: string; readonly messageExpression: string }>;
}

/**
 * The request's subresource, '' when it has none: the field is then absent, and reading it would
 * be an error, which fails closed (docs/upstream.md, "What admission sees of a request").
 */
const subResource = "(has(request.subResource) ? request.subResource : '')";

// A CONNECT's object (PodExecOptions and the like) has no metadata at all.
const partOf = (o: string) =>
    `has(${o}.metadata) && has(${o}.metadata.labels) && '${partOfLabel}' in ${o}.metadata.labels && ${o}.metadata.labels['${partOfLabel}'] == '${platformPartOf}'`;

/** Whether the requester may do `verb` on the request's resource and subresource in every namespace. */
const holdsEverywhere = (verb: string) =>
    `authorizer.group(request.resource.group).resource(request.resource.resource).subresource(${subResource}).check('${verb}').allowed()`;

/**
 * Whom the guard judges: every requester that does not hold the request's right cluster-wide,
 * whoever it is. The platform, the cluster admins' sync and the cluster's controllers hold theirs
 * through ClusterRoleBindings and pass; a RoleBinding, all a team can write, never does. No list
 * of identities: the authorizer is asked with no namespace, a cluster-wide check, for the
 * operation's verb (docs/upstream.md, "Whom the guards judge").
 */
export const judged = "!(request.operation == 'CREATE' ? " + holdsEverywhere("create") +
    " : request.operation == 'UPDATE' ? (" + holdsEverywhere("update") + " || " + holdsEverywhere("patch") + ")" +
    " : request.operation == 'DELETE' ? " + holdsEverywhere("delete") +
    " : " + holdsEverywhere("create") + ")";

/** The match condition of every TeamGuard policy that judges requesters. */
export const judgedCondition = { name: "not-holding-the-right-cluster-wide", expression: judged };

/** A map of `metadata` (labels, annotations) of `o`, {} when it has none (a CONNECT's options have no metadata). */
const metadataMap = (o: string, field: string) => `(has(${o}.metadata) && has(${o}.metadata.${field}) ? ${o}.metadata.${field} : {})`;

/** The same keys with the same values in object and oldObject, but for the keys in `except`. */
function sameMapExcept(field: "labels" | "annotations", except: readonly string[]): string {
    const now = metadataMap("object", field);
    const before = metadataMap("oldObject", field);
    const exempt = except.length === 0 ? "false" : except.map((key) => `k == '${key}'`).join(" || ");
    return `${before}.all(k, ${exempt} || (k in ${now} && ${now}[k] == ${before}[k])) && ${now}.all(k, ${exempt} || k in ${before})`;
}

/** The same value of an optional field in object and oldObject; `absent` stands for a missing one. */
const same = (field: string, absent: string) =>
    `(has(object.${field}) ? object.${field} : ${absent}) == (has(oldObject.${field}) ? oldObject.${field} : ${absent})`;

/**
 * The one change an engine's account may make to a platform object: its state annotation on its
 * Secret (Flux v1's sync marker, components/engines/flux1/admission.ts), by the engine's own
 * ServiceAccount. Everything else of the Secret stays as it was; the state is the team's own,
 * which only that engine reads.
 */
function stateRecord(record: NonNullable<EngineAdmission["stateRecord"]>): string {
    return [
        "request.operation == 'UPDATE'",
        `${subResource} == ''`,
        "request.resource.group == ''",
        "request.resource.resource == 'secrets'",
        `request.name == '${record.secret}'`,
        `request.userInfo.username == 'system:serviceaccount:' + request.namespace + ':${record.serviceAccount}'`,
        same("data", "{}"),
        same("type", "''"),
        same("immutable", "false"),
        sameMapExcept("labels", []),
        sameMapExcept("annotations", [record.annotation]),
        same("metadata.ownerReferences", "[]"),
        same("metadata.finalizers", "[]"),
    ].join(" && ");
}

/** `expression` for each item, or'ed; `false` when there is none. */
function anyOf<T>(items: readonly T[], expression: (item: T) => string): string {
    return items.length === 0 ? "false" : items.map((item) => items.length === 1 ? expression(item) : `(${expression(item)})`).join(" || ");
}

function teamDeployments(engines: readonly EngineAdmission[]): string[] {
    return [...new Set(engines.flatMap((engine) => engine.teamDeployment === undefined ? [] : [engine.teamDeployment]))];
}

function engineAccounts(engines: readonly EngineAdmission[]): string[] {
    return [...new Set(engines.flatMap((engine) => engine.serviceAccounts ?? []))];
}

function statusGroups(engines: readonly EngineAdmission[], more: readonly string[]): string[] {
    return [...new Set([...engines.flatMap((engine) => engine.statusGroups ?? []), ...more])];
}

const celList = (items: readonly string[]) => `[${items.map((i) => `'${i}'`).join(", ")}]`;

/**
 * Subresources of a pod that reach into it or end it without carrying it, so judged by the pod's
 * name: CONNECT (exec, attach, portforward, proxy) and eviction (docs/upstream.md, "What admission
 * sees of a request").
 */
const podReachSubresources = ["exec", "attach", "portforward", "proxy", "eviction"];

function shardLabels(engines: readonly EngineAdmission[]): string[] {
    return [...new Set(engines.flatMap((engine) => engine.shardLabel === undefined ? [] : [engine.shardLabel]))];
}

/**
 * What a team may not do in its own namespace although RBAC lets its engine do anything there:
 * touch the platform's objects (labelled part-of=gitops-platform: quota, limits, network policy,
 * the engine's objects, RBAC and key) through any subresource but the engine's state record, scale
 * an engine's team Deployment (a Scale has no labels, so by name) or fake its ReplicaSets: the
 * label and the name are what the restricted-pods policy exempts the engine's pods by. Nor may it
 * shard-label an object for another team's controllers, which would spend that team's capacity.
 */
export function platformObjectsCel(engines: readonly EngineAdmission[], addonStatusGroups: readonly string[] = []): AdmissionCel {
    const accounts = engineAccounts(engines);
    const groups = statusGroups(engines, addonStatusGroups);
    const records = engines.flatMap((engine) => engine.stateRecord === undefined ? [] : [engine.stateRecord]);
    return {
        matchConditions: [judgedCondition],
        variables: [
            { name: "platformObject", expression: `(object != null && ${partOf("object")}) || (oldObject != null && ${partOf("oldObject")})` },
            { name: "engineStateRecord", expression: anyOf(records, stateRecord) },
        ],
        validations: [
            {
                expression: "!variables.platformObject || variables.engineStateRecord",
                messageExpression: `request.resource.resource + " " + request.name + " in " + request.namespace + ` +
                    `" is the platform's (labelled ${partOfLabel}=${platformPartOf}): " + request.userInfo.username + ` +
                    `" may not " + request.operation.lowerAscii() + " it"`,
            },
            ...teamDeployments(engines).flatMap((deployment) => [
                {
                    expression: "!(request.operation == 'CREATE' && request.kind.group == 'apps' && request.kind.kind == 'ReplicaSet' && " +
                        `(request.name.startsWith('${deployment}-') || (has(object.metadata.generateName) && object.metadata.generateName.startsWith('${deployment}-'))))`,
                    messageExpression: `"ReplicaSets named ${deployment}-* in " + request.namespace + " are made only from the platform's ` +
                        `${deployment} Deployment: " + request.userInfo.username + " may not create one"`,
                },
                {
                    expression: `!(${subResource} == 'scale' && request.resource.group == 'apps' && request.resource.resource == 'deployments' && ` +
                        `request.name == '${deployment}')`,
                    messageExpression: `"the platform's ${deployment} Deployment in " + request.namespace + ` +
                        `" runs one replica: " + request.userInfo.username + " may not scale it"`,
                },
            ]),
            ...teamDeployments(engines).map((deployment) => ({
                expression: `!(request.resource.group == '' && request.resource.resource == 'pods' && ` +
                    `${subResource} in ${celList(podReachSubresources)} && request.name.startsWith('${deployment}-'))`,
                messageExpression: `"pods/" + ${subResource} + " of " + request.name + " in " + request.namespace + ` +
                    `": the platform's ${deployment} pods are not " + request.userInfo.username + "'s to enter or evict"`,
            })),
            // The kubelet's token requests are granted per object, never cluster-wide: it passes
            // by its group (docs/upstream.md, "Whom the guards judge").
            ...(accounts.length === 0 ? [] : [{
                expression: `!(request.operation == 'CREATE' && request.resource.group == '' && request.resource.resource == 'serviceaccounts' && ` +
                    `${subResource} == 'token' && request.name in ${celList(accounts)} && !('system:nodes' in request.userInfo.groups))`,
                messageExpression: `"the platform's ServiceAccount " + request.name + " in " + request.namespace + ` +
                    `" is the engine's: " + request.userInfo.username + " may not request a token for it"`,
            }]),
            ...(groups.length === 0 ? [] : [{
                expression: `!(${subResource} == 'status' && request.resource.group in ${celList(groups)})`,
                messageExpression: `request.resource.resource + "/status of " + request.name + " in " + request.namespace + ` +
                    `" is written by the platform's controllers, which act on it: " + request.userInfo.username + " may not write it"`,
            }]),
            // On a create or an update (a delete carries no new object); a patch is judged by the
            // object it makes.
            ...shardLabels(engines).map((label) => ({
                expression: `object == null || !('${label}' in ${metadataMap("object", "labels")}) || ` +
                    `object.metadata.labels['${label}'] == request.namespace`,
                messageExpression: `request.resource.resource + " " + request.name + " in " + request.namespace + ` +
                    `" may carry ${label} only with its own team's name, " + request.namespace + ", not " + ` +
                    `object.metadata.labels['${label}'] + ": another team's controllers are not its to use"`,
            })),
        ],
    };
}

const teamLabelled = (o: string) => `${o} != null && has(${o}.metadata.labels) && '${teamLabel}' in ${o}.metadata.labels`;

/**
 * What no one judged may do to a team's Namespace itself: the API server authorizes it as a
 * request in that namespace, so the team's RoleBinding would allow it (docs/upstream.md, "Requests
 * on a Namespace"). Not delete it, write its status or finalize, nor change its labels (they
 * select PSA's level, these policies, network policies, webhooks), annotations (they place pods on
 * nodes), owners (the garbage collector) or finalizers; only the engines' bookkeeping, so a repo
 * carrying its Namespace manifest still syncs. A namespace is a team's when the old object or the
 * new one carries the team label, so dropping the label does not escape the policy.
 */
export function teamNamespaceCel(engines: readonly EngineAdmission[]): AdmissionCel {
    const unique = (keys: readonly string[]) => [...new Set(keys)];
    const bookkeeping = {
        labels: unique(engines.flatMap((engine) => engine.bookkeeping.labels)),
        annotations: unique(engines.flatMap((engine) => engine.bookkeeping.annotations)),
    };
    return {
        matchConditions: [
            judgedCondition,
            { name: "a-team-namespace", expression: `request.operation == 'DELETE' || (${teamLabelled("oldObject")}) || (${teamLabelled("object")})` },
        ],
        variables: [],
        validations: [
            {
                expression: "request.operation != 'DELETE'",
                messageExpression: `request.userInfo.username + " may not delete the team namespace " + request.name`,
            },
            {
                expression: `request.operation != 'UPDATE' || ${subResource} == ''`,
                messageExpression: `request.userInfo.username + " may not update namespaces/" + ${subResource} + " of the team namespace " + request.name`,
            },
            {
                expression: `request.operation != 'UPDATE' || ${subResource} != '' || (` + [
                    sameMapExcept("labels", bookkeeping.labels),
                    sameMapExcept("annotations", bookkeeping.annotations),
                    same("metadata.ownerReferences", "[]"),
                    same("metadata.finalizers", "[]"),
                ].join(" && ") + ")",
                messageExpression: `request.userInfo.username + " may not change the labels, annotations, owners or finalizers of the team namespace " + ` +
                    `request.name + " (only ${[...bookkeeping.labels, ...bookkeeping.annotations].join(", ")})"`,
            },
        ],
    };
}

/** A pod the deployment controller made from one of the engines' team Deployments, and nothing else. */
export function enginePod(engines: readonly EngineAdmission[]): string {
    const deployments = teamDeployments(engines);
    if (deployments.length === 0) {
        return "false";
    }
    const owner = deployments.map((deployment) => `o.name == '${deployment}-' + object.metadata.labels['pod-template-hash']`).join(" || ");
    return `${partOf("object")} && 'pod-template-hash' in object.metadata.labels && ` +
        "has(object.metadata.ownerReferences) && object.metadata.ownerReferences.exists(o, o.kind == 'ReplicaSet' && " +
        `${deployments.length === 1 ? owner : `(${owner})`})`;
}

// Pod, init and ephemeral containers: the restricted profile judges them all alike.
const containerLists = ["object.spec.containers", "object.spec.initContainers", "object.spec.ephemeralContainers"];

function everyContainer(ok: string): string {
    return containerLists
        .map((list, i) => i === 0 ? `${list}.all(c, ${ok})` : `(!has(${list}) || ${list}.all(c, ${ok}))`)
        .join(" && ");
}

function offenders(ok: string): string {
    const names = containerLists.map((list, i) => i === 0
        ? `${list}.filter(c, !(${ok})).map(c, c.name)`
        : `(has(${list}) ? ${list}.filter(c, !(${ok})).map(c, c.name) : [])`);
    return `(${names.join(" + ")}).join(", ")`;
}

function containerRule(ok: string, must: string) {
    return {
        expression: everyContainer(ok),
        messageExpression: `"restricted: containers <" + ${offenders(ok)} + "> ${must}"`,
    };
}

const sc = "c.securityContext";
const podSc = "object.spec.securityContext";
/** The volume types the restricted Pod Security Standard allows. */
export const restrictedVolumeTypes = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];
const volumeOk = restrictedVolumeTypes.map((type) => `has(v.${type})`).join(" || ");

/**
 * What the restricted Pod Security Standard asks beyond baseline, for every pod but the engines'
 * in namespaces whose team asked for restricted. Where an engine's pods can live only under
 * baseline (Flux v1's root fluxd), Pod Security Admission enforces baseline and this enforces the
 * rest, so the team's own pods are held to restricted.
 */
export function restrictedPodCel(engines: readonly EngineAdmission[]): AdmissionCel {
    return {
        matchConditions: [{ name: "not-an-engines-pod", expression: `!(${enginePod(engines)})` }],
        variables: [
            { name: "podRunAsNonRoot", expression: `has(${podSc}) && has(${podSc}.runAsNonRoot) && ${podSc}.runAsNonRoot` },
            {
                name: "podSeccompConfined",
                expression: `has(${podSc}) && has(${podSc}.seccompProfile) && ${podSc}.seccompProfile.type in ['RuntimeDefault', 'Localhost']`,
            },
        ],
        validations: [
            {
                expression: `!has(object.spec.volumes) || object.spec.volumes.all(v, ${volumeOk})`,
                messageExpression: `"restricted: volumes <" + object.spec.volumes.filter(v, !(${volumeOk})).map(v, v.name).join(", ") + ` +
                    `"> may only be ${restrictedVolumeTypes.join(", ")}"`,
            },
            containerRule(`has(${sc}) && has(${sc}.allowPrivilegeEscalation) && !${sc}.allowPrivilegeEscalation`,
                "must set securityContext.allowPrivilegeEscalation to false"),
            containerRule(`(has(${sc}) && has(${sc}.runAsNonRoot)) ? ${sc}.runAsNonRoot : variables.podRunAsNonRoot`,
                "must run as non-root: set securityContext.runAsNonRoot to true on the pod or the container"),
            {
                expression: `!(has(${podSc}) && has(${podSc}.runAsUser) && ${podSc}.runAsUser == 0)`,
                messageExpression: `"restricted: the pod may not set securityContext.runAsUser to 0"`,
            },
            containerRule(`!(has(${sc}) && has(${sc}.runAsUser) && ${sc}.runAsUser == 0)`,
                "may not set securityContext.runAsUser to 0"),
            containerRule(
                `(has(${sc}) && has(${sc}.seccompProfile)) ? ${sc}.seccompProfile.type in ['RuntimeDefault', 'Localhost'] : variables.podSeccompConfined`,
                "must set securityContext.seccompProfile.type to RuntimeDefault or Localhost on the pod or the container"),
            containerRule(
                `has(${sc}) && has(${sc}.capabilities) && has(${sc}.capabilities.drop) && 'ALL' in ${sc}.capabilities.drop && ` +
                `(!has(${sc}.capabilities.add) || ${sc}.capabilities.add.all(a, a == 'NET_BIND_SERVICE'))`,
                "must drop ALL capabilities and may add only NET_BIND_SERVICE"),
        ],
    };
}

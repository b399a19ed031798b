// The CEL of the TenantGuard's two ValidatingAdmissionPolicies, kept apart so the tests evaluate
// exactly what the policies carry. Both judge requests in team namespaces only.
import { fluxDeploymentName, fluxServiceAccountName, gitSecretName } from "../engines/flux1/fluxV1";
import { partOfLabel, platformPartOf, teamLabel } from "../shared/names";

export interface AdmissionCel {
    /** All must be true for the policy to judge a request at all. */
    readonly matchConditions: ReadonlyArray<{ readonly name: string; readonly expression: string }>;
    readonly variables: ReadonlyArray<{ readonly name: string; readonly expression: string }>;
    readonly validations: ReadonlyArray<{ readonly expression: string; readonly messageExpression: string }>;
}

const partOf = (o: string) =>
    `has(${o}.metadata.labels) && '${partOfLabel}' in ${o}.metadata.labels && ${o}.metadata.labels['${partOfLabel}'] == '${platformPartOf}'`;

/**
 * A service account of the team namespace: the team's Flux, and every pod the team runs. The
 * platform (Pulumi, as a cluster admin) and the cluster's controllers are not.
 */
const fromInside = "request.userInfo.username.startsWith('system:serviceaccount:' + request.namespace + ':')";

/** A map of `metadata` (labels, annotations) of `o`, {} when it has none. */
const metadataMap = (o: string, field: string) => `(has(${o}.metadata.${field}) ? ${o}.metadata.${field} : {})`;

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
 * The annotation fluxd keeps its sync state in under `--git-readonly` (which forces
 * `--sync-state=secret`, fluxcd/flux 1.25.4 cmd/fluxd/main.go): `syncMarkerKey` in
 * pkg/sync/secret.go, set on the Secret named by `--k8s-secret-name` in fluxd's own namespace.
 */
export const fluxSyncStateAnnotation = "flux.weave.works/sync-hwm";

/**
 * The one change a team's Flux may make to a platform object: fluxd's strategic merge patch
 * `{"metadata":{"annotations":{"flux.weave.works/sync-hwm":"<revision>"}}}` on its key Secret
 * (pkg/sync/secret.go, setRevision and patch), sent by fluxd's own ServiceAccount. Everything
 * else of the Secret stays as it was: its key (data, type, immutable), its labels, every other
 * annotation, its owners and finalizers. The revision itself is the team's own sync state, which
 * only that fluxd reads.
 */
const fluxSyncStateRecord = [
    "request.operation == 'UPDATE'",
    "request.subResource == ''",
    "request.resource.group == ''",
    "request.resource.resource == 'secrets'",
    `request.name == '${gitSecretName}'`,
    `request.userInfo.username == 'system:serviceaccount:' + request.namespace + ':${fluxServiceAccountName}'`,
    same("data", "{}"),
    same("type", "''"),
    same("immutable", "false"),
    sameMapExcept("labels", []),
    sameMapExcept("annotations", [fluxSyncStateAnnotation]),
    same("metadata.ownerReferences", "[]"),
    same("metadata.finalizers", "[]"),
].join(" && ");

/**
 * What a team may not do in its own namespace although RBAC lets its Flux do anything there:
 * create, change or delete the platform's objects (labelled part-of=gitops-platform: its quota,
 * limits, network policy, its Flux and Flux's RBAC and key), through any subresource that carries
 * the object (a pod's ephemeral containers), scale its Flux Deployment (the Scale object carries no
 * labels, so by name), or create a ReplicaSet named like those of its Flux Deployment. These keep
 * the label and the name trustworthy, which is what the restricted-pods policy exempts the team's
 * Flux by. The one exception is fluxd recording its sync state on its key Secret (above).
 */
export const platformObjectsCel: AdmissionCel = {
    matchConditions: [{ name: "from-inside-the-namespace", expression: fromInside }],
    variables: [
        { name: "platformObject", expression: `(object != null && ${partOf("object")}) || (oldObject != null && ${partOf("oldObject")})` },
        { name: "fluxSyncStateRecord", expression: fluxSyncStateRecord },
    ],
    validations: [
        {
            expression: "!variables.platformObject || variables.fluxSyncStateRecord",
            messageExpression: `request.resource.resource + " " + request.name + " in " + request.namespace + ` +
                `" is the platform's (labelled ${partOfLabel}=${platformPartOf}): " + request.userInfo.username + ` +
                `" may not " + request.operation.lowerAscii() + " it"`,
        },
        {
            expression: "!(request.operation == 'CREATE' && request.kind.group == 'apps' && request.kind.kind == 'ReplicaSet' && " +
                `(request.name.startsWith('${fluxDeploymentName}-') || (has(object.metadata.generateName) && object.metadata.generateName.startsWith('${fluxDeploymentName}-'))))`,
            messageExpression: `"ReplicaSets named ${fluxDeploymentName}-* in " + request.namespace + " are made only from the platform's ` +
                `${fluxDeploymentName} Deployment: " + request.userInfo.username + " may not create one"`,
        },
        {
            expression: `!(request.subResource == 'scale' && request.resource.group == 'apps' && request.resource.resource == 'deployments' && ` +
                `request.name == '${fluxDeploymentName}')`,
            messageExpression: `"the platform's ${fluxDeploymentName} Deployment in " + request.namespace + ` +
                `" runs one replica: " + request.userInfo.username + " may not scale it"`,
        },
    ],
};

/**
 * The bookkeeping a team's Flux v1 writes on every object it applies, its Namespace too: the
 * annotation kubectl apply keeps (`kubectl.kubernetes.io/last-applied-configuration`, k8s.io/api
 * core/v1 annotation_key_constants.go), and fluxd's checksum annotation and garbage-collection
 * label (fluxcd/flux 1.25.4 pkg/cluster/kubernetes/sync.go, checksumAnnotation and gcMarkLabel,
 * with PolicyPrefix `fluxcd.io/` from pkg/cluster/kubernetes/resource/resource.go). Nothing else
 * reads them, so a team repo that carries its own Namespace manifest unchanged still syncs.
 */
export const fluxBookkeeping = {
    labels: ["fluxcd.io/sync-gc-mark"],
    annotations: ["kubectl.kubernetes.io/last-applied-configuration", "fluxcd.io/sync-checksum"],
} as const;

const teamLabelled = (o: string) => `${o} != null && has(${o}.metadata.labels) && '${teamLabel}' in ${o}.metadata.labels`;

/**
 * What no service account of a team namespace may do to the Namespace itself, whatever engine
 * syncs the team (Flux v1 here, a Flux v2 tenant ServiceAccount lives there too). The API server
 * authorizes `/api/v1/namespaces/<team>` and its subresources as requests in namespace <team>
 * (k8s.io/apiserver v0.36.3 pkg/endpoints/request/requestinfo.go, the `namespaces` branch), so a
 * RoleBinding there with every verb on every resource lets the namespace's service accounts change
 * or delete it, and admission sees `request.namespace` as the namespace's own name
 * (pkg/endpoints/handlers/update.go, patch.go and delete.go take it from that request info;
 * pkg/admission/plugin/webhook/predicates/rules/rules.go says so). So "a service account of the
 * namespace it changes" is the same `fromInside` test as for namespaced objects.
 *
 * It may not delete it, nor write its status or finalize subresources, nor change its labels
 * (they select Pod Security Admission's level, these policies, other namespaces' network
 * policies and any webhook that selects namespaces), its annotations (PodNodeSelector and
 * PodTolerationRestriction read a namespace's annotations to place its pods on nodes), its owners
 * (the garbage collector deletes a namespace whose owner is gone) or its finalizers (they would
 * hold up its removal). Only the bookkeeping above may change.
 *
 * A namespace is a team's when it carries the team label before or after the change: the
 * label on the old object, not only on the new one, so that removing it does not take the
 * request out of the policy's reach. Deleting its own namespace is refused in every namespace.
 */
export const teamNamespaceCel: AdmissionCel = {
    matchConditions: [
        { name: "from-inside-the-namespace", expression: fromInside },
        { name: "a-team-namespace", expression: `request.operation == 'DELETE' || (${teamLabelled("oldObject")}) || (${teamLabelled("object")})` },
    ],
    variables: [],
    validations: [
        {
            expression: "request.operation != 'DELETE'",
            messageExpression: `request.userInfo.username + " may not delete its own namespace " + request.name`,
        },
        {
            expression: "request.operation != 'UPDATE' || request.subResource == ''",
            messageExpression: `request.userInfo.username + " may not update namespaces/" + request.subResource + " of its own namespace " + request.name`,
        },
        {
            expression: "request.operation != 'UPDATE' || request.subResource != '' || (" + [
                sameMapExcept("labels", fluxBookkeeping.labels),
                sameMapExcept("annotations", fluxBookkeeping.annotations),
                same("metadata.ownerReferences", "[]"),
                same("metadata.finalizers", "[]"),
            ].join(" && ") + ")",
            messageExpression: `request.userInfo.username + " may not change the labels, annotations, owners or finalizers of its own namespace " + ` +
                `request.name + " (only ${[...fluxBookkeeping.labels, ...fluxBookkeeping.annotations].join(", ")})"`,
        },
    ],
};

/** A pod the deployment controller made from the platform's Flux Deployment, and nothing else. */
export const platformFluxPod = `${partOf("object")} && 'pod-template-hash' in object.metadata.labels && ` +
    "has(object.metadata.ownerReferences) && object.metadata.ownerReferences.exists(o, o.kind == 'ReplicaSet' && " +
    `o.name == '${fluxDeploymentName}-' + object.metadata.labels['pod-template-hash'])`;

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
export const restrictedVolumeTypes = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];
const volumeOk = restrictedVolumeTypes.map((type) => `has(v.${type})`).join(" || ");

/**
 * What the restricted Pod Security Standard asks beyond baseline, for every pod but the team's
 * Flux in namespaces whose team asked for restricted. Pod Security Admission enforces baseline
 * there (so the team's root Flux can run) and this enforces the rest, so the team's own pods are
 * held to restricted.
 */
export const restrictedPodCel: AdmissionCel = {
    matchConditions: [{ name: "not-the-platforms-flux", expression: `!(${platformFluxPod})` }],
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

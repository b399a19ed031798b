// The CEL of the TenantGuard's two ValidatingAdmissionPolicies, kept apart so the tests evaluate
// exactly what the policies carry. Both judge requests in team namespaces only.
import { fluxDeploymentName } from "../engines/flux1/fluxV1";
import { partOfLabel, platformPartOf } from "../shared/names";

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

/**
 * What a team may not do in its own namespace although RBAC lets its Flux do anything there:
 * create, change or delete the platform's objects (labelled part-of=gitops-platform: its quota,
 * limits, network policy, its Flux and Flux's RBAC and key), or create a ReplicaSet named like
 * those of its Flux Deployment. Both keep the label and the name trustworthy, which is what the
 * restricted-pods policy exempts the team's Flux by.
 */
export const platformObjectsCel: AdmissionCel = {
    matchConditions: [{ name: "from-inside-the-namespace", expression: fromInside }],
    variables: [
        { name: "platformObject", expression: `(object != null && ${partOf("object")}) || (oldObject != null && ${partOf("oldObject")})` },
    ],
    validations: [
        {
            expression: "!variables.platformObject",
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

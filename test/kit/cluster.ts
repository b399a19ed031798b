// A cluster as the program leaves it, deciding requests the way the API server would: RBAC
// (with the escalation check on roles and bindings), then Pod Security Admission, then the
// ValidatingAdmissionPolicies, all from the objects the program creates. Mutating admission,
// Gatekeeper's constraints and webhooks are not modelled (see tables.ts for what each table needs).
import { Recording } from "./harness";
import { AdmissionAttributes, AdmissionPolicy, Authorize } from "./admission";
import { enforcedLevel, podSecurityViolations } from "./podSecurity";
import { Binding, bootstrap, Rbac, Role } from "./rbac";
import { requestInfo, RequestInfo } from "./requestInfo";
import { serviceAccount, UserInfo } from "./users";

type Json = Record<string, any>;

/** One HTTP request to the API server. */
export interface Request {
    readonly user: UserInfo;
    readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
    readonly path: string;
    /** The object sent with POST or PUT, or the merge patch (or applied configuration) sent with PATCH. */
    readonly body?: Json;
    /**
     * A PATCH's content type: "merge" (a merge patch, or a strategic merge patch without lists)
     * or "apply" (server-side apply, `application/apply-patch+yaml`), which creates the object
     * when it does not exist. Merge when absent.
     */
    readonly patchType?: "merge" | "apply";
    /** The Impersonate-User header: a service account the request acts as, with no Impersonate-Group. */
    readonly impersonate?: Impersonation;
}

/** Whom a request impersonates (k8s.io/apiserver v0.36.3 pkg/endpoints/filters/impersonation/impersonation.go). */
export type Impersonation =
    | { readonly serviceAccount: { readonly namespace: string; readonly name: string } }
    | { readonly user: string; readonly groups?: readonly string[] };

export interface Verdict {
    readonly allowed: boolean;
    /** Which layer refused it: "RBAC", "RBAC escalation check", "Pod Security Admission (<level>)", "admission policy <name>". */
    readonly layer?: string;
    readonly reason: string;
}

const clusterScopedKinds = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
    "CustomResourceDefinition", "ConstraintTemplate", "Node", "PersistentVolume"]);

function groupVersion(apiVersion: string): [string, string] {
    const parts = apiVersion.split("/");
    return parts.length === 1 ? ["", parts[0]] : [parts[0], parts[1]];
}

/** The plural resource of a kind, as the API server's REST mapping names it. */
export function resourceOf(group: string, kind: string): string {
    const lower = kind.toLowerCase();
    // Gatekeeper names a constraint kind's resource after the lower-cased kind.
    if (group === "constraints.gatekeeper.sh") {
        return lower;
    }
    if (lower.endsWith("s")) {
        return `${lower}es`;
    }
    return lower.endsWith("y") ? `${lower.slice(0, -1)}ies` : `${lower}s`;
}

const isClusterScoped = (o: Json) => clusterScopedKinds.has(o.kind) || groupVersion(o.apiVersion)[0] === "constraints.gatekeeper.sh";

function key(group: string, resource: string, namespace: string, name: string): string {
    return `${group}/${resource}/${namespace}/${name}`;
}

/** RFC 7386 merge patch, which a strategic merge patch without lists is too. */
export function mergePatch(target: unknown, patch: unknown): unknown {
    if (typeof patch !== "object" || patch === null || Array.isArray(patch)) {
        return patch;
    }
    const result: Json = typeof target === "object" && target !== null && !Array.isArray(target) ? { ...(target as Json) } : {};
    for (const [k, v] of Object.entries(patch)) {
        if (v === null) {
            delete result[k];
        } else {
            result[k] = mergePatch(result[k], v);
        }
    }
    return result;
}

// The Scale subresource carries the object's name, namespace and uid, not its labels
// (pkg/registry/apps/deployment/storage/storage.go, scaleFromDeployment).
function scaleOf(o: Json): Json {
    return {
        apiVersion: "autoscaling/v1", kind: "Scale",
        metadata: { name: o.metadata.name, namespace: o.metadata.namespace },
        spec: { replicas: o.spec?.replicas ?? 1 },
    };
}

/** Core resources a quota also counts by their own name (pkg/quota/v1/evaluator/core). */
const legacyCounted = ["pods", "services", "secrets", "configmaps", "persistentvolumeclaims", "replicationcontrollers", "resourcequotas"];

/** The pod-template-hash the kit's ReplicaSet controller gives every Deployment's ReplicaSet. */
export const podTemplateHash = "5d7d9fc9d5";

export class Cluster {
    private constructor(private readonly objects: ReadonlyMap<string, Json>) {}

    /** What the program created: every Kubernetes object, with what controllers make of them. */
    static fromRecording(recording: Recording): Cluster {
        const objects: Json[] = [];
        for (const created of recording.resources) {
            const match = /^kubernetes:([^:]+):(.+)$/.exec(created.type);
            if (!match || created.type.startsWith("kubernetes:helm.sh/")) {
                continue;
            }
            let object: Json;
            if (match[2] === "CustomResource") {
                object = { ...created.inputs };
            } else {
                const [groupVersionText, kind] = [match[1], match[2]];
                const apiVersion = groupVersionText.startsWith("core/") ? groupVersionText.slice("core/".length) : groupVersionText;
                object = { apiVersion, kind, ...created.inputs };
            }
            objects.push(stored(object));
        }
        return new Cluster(new Map()).with(...objects, ...objects.flatMap(controllerMade));
    }

    /** The same cluster with more objects in it (the team's workloads, a chart's RBAC). */
    with(...objects: Json[]): Cluster {
        const all = new Map(this.objects);
        for (const o of objects) {
            const [group] = groupVersion(o.apiVersion);
            all.set(key(group, resourceOf(group, o.kind), isClusterScoped(o) ? "" : o.metadata.namespace, o.metadata.name), stored(o));
        }
        return new Cluster(all);
    }

    /** The objects this cluster holds that `base` does not, or holds otherwise (what a row's `given` adds). */
    beyond(base: Cluster): Json[] {
        return [...this.objects].filter(([k, o]) => base.objects.get(k) !== o).map(([, o]) => o);
    }

    /** The same cluster without the objects `drop` picks (a policy, to show a row needs it). */
    without(drop: (o: Json) => boolean): Cluster {
        return new Cluster(new Map([...this.objects].filter(([, o]) => !drop(o))));
    }

    /** How many objects of a resource a namespace holds. */
    count(group: string, resource: string, namespace: string): number {
        const prefix = key(group, resource, namespace, "");
        return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).length;
    }

    /** Every object of a kind. */
    list(kind: string): Json[] {
        return [...this.objects.values()].filter((o) => o.kind === kind);
    }

    get(group: string, resource: string, namespace: string, name: string): Json | undefined {
        return this.objects.get(key(group, resource, namespace, name));
    }

    private rbac(): Rbac {
        const role = (o: Json): Role => ({ name: o.metadata.name, namespace: o.metadata.namespace, rules: o.rules ?? [] });
        const binding = (o: Json): Binding => ({ name: o.metadata.name, namespace: o.metadata.namespace, roleRef: o.roleRef, subjects: o.subjects ?? [] });
        return new Rbac(
            this.list("Role").map(role),
            [...bootstrap.clusterRoles, ...this.list("ClusterRole").map((o) => ({ ...role(o), namespace: undefined }))],
            [...bootstrap.bindings, ...this.list("ClusterRoleBinding").map((o) => ({ ...binding(o), namespace: undefined })), ...this.list("RoleBinding").map(binding)],
        );
    }

    private namespaceLabels(name: string): Record<string, string> {
        const namespace = this.get("", "namespaces", "", name);
        if (namespace === undefined) {
            throw new Error(`namespace ${name} not found`);
        }
        return namespace.metadata.labels ?? {};
    }

    /** Whether the API server would carry the request out, and if not, which layer refuses it. */
    decide(sent: Request): Verdict {
        const info = requestInfo(sent.method, sent.path);
        const rbac = this.rbac();
        const acting = impersonated(rbac, sent);
        if ("denied" in acting) {
            return { allowed: false, layer: "RBAC", reason: acting.denied };
        }
        const request = { ...sent, user: acting.user };
        const authorized = rbac.authorize(request.user, info);
        if (!authorized.allowed) {
            return { allowed: false, layer: "RBAC", reason: authorized.reason };
        }
        // Server-side apply of an object that does not exist creates it, and the patch handler
        // authorizes that as a create too (pkg/endpoints/handlers/patch.go, createAuthorizerAttributes).
        if (this.appliesNew(request, info)) {
            const create = rbac.authorize(request.user, { ...info, verb: "create" });
            if (!create.allowed) {
                return { allowed: false, layer: "RBAC", reason: create.reason };
            }
        }
        if (!info.isResourceRequest || ["get", "list", "watch"].includes(info.verb)) {
            return { allowed: true, reason: authorized.reason };
        }
        // The `authorizer` of the admission policies: the kit's RBAC for the requester.
        const authorize: Authorize = (a) => rbac.authorize(request.user, {
            isResourceRequest: true, path: "", verb: a.verb, apiGroup: a.group, apiVersion: "*",
            namespace: a.namespace, resource: a.resource, subresource: a.subresource, name: a.name,
        }).allowed;
        // A deletecollection is admitted object by object, as a DELETE of each (k8s.io/apiserver
        // pkg/endpoints/handlers/delete.go, DeleteCollection; pkg/registry/generic/registry/store.go):
        // the first refusal is the answer.
        const each = info.verb === "deletecollection" ? this.collection(info).map((name) => ({ ...info, name })) : [info];
        for (const one of each) {
            const attributes = this.admissionAttributes(request, one);
            const escalation = rbac.escalationCheck(request.user, one, attributes.object ?? {});
            if (escalation && !escalation.allowed) {
                return { allowed: false, layer: "RBAC escalation check", reason: escalation.reason };
            }
            const podSecurity = this.podSecurity(attributes);
            if (podSecurity) {
                return podSecurity;
            }
            for (const policy of this.admissionPolicies()) {
                const decision = policy.decide(attributes, (name) => this.namespaceLabels(name), authorize);
                if (decision && !decision.allowed) {
                    return { allowed: false, layer: `admission policy ${decision.policy}`, reason: decision.messages.join("; ") };
                }
            }
            const quota = this.quotaAdmission(attributes);
            if (quota) {
                return quota;
            }
            if (each.length === 1 && info.verb !== "deletecollection") {
                return { allowed: true, reason: [authorized.reason, escalation?.reason].filter((r) => r).join("; ") };
            }
        }
        return { allowed: true, reason: authorized.reason };
    }

    /** The names of the objects a deletecollection reaches: every object of the resource in the namespace. */
    private collection(info: RequestInfo): string[] {
        const prefix = `${info.apiGroup}/${info.resource}/${info.namespace}/`;
        return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
    }

    /**
     * The ResourceQuota admission plugin, for object counts only (it runs after the admission
     * policies): a create of a counted resource that would take the namespace's count above a
     * quota's hard limit is refused. Counted as `count/<resource>[.<group>]`, and for the core
     * resources with a name of their own also by that name (k8s.io/kubernetes v1.37.2
     * pkg/quota/v1/evaluator/core and generic; k8s.io/apiserver pkg/admission/plugin/resourcequota,
     * CheckRequest). CPU, memory and storage sums are not modelled.
     */
    private quotaAdmission(a: AdmissionAttributes): Verdict | undefined {
        if (a.operation !== "CREATE" || a.subResource !== "" || a.namespace === "") {
            return undefined;
        }
        const { group, resource } = a.resource;
        const names = [`count/${group === "" ? resource : `${resource}.${group}`}`,
            ...(group === "" && legacyCounted.includes(resource) ? [resource] : [])];
        for (const quota of this.list("ResourceQuota").filter((q) => q.metadata.namespace === a.namespace)) {
            for (const name of names) {
                const hard = quota.spec?.hard?.[name];
                if (hard === undefined) {
                    continue;
                }
                const used = this.count(group, resource, a.namespace);
                if (used + 1 > Number(hard)) {
                    return {
                        allowed: false, layer: "ResourceQuota",
                        reason: `exceeded quota: ${quota.metadata.name}, requested: ${name}=1, used: ${name}=${used}, limited: ${name}=${hard}`,
                    };
                }
            }
        }
        return undefined;
    }

    private appliesNew(request: Request, info: RequestInfo): boolean {
        const storedNamespace = info.apiGroup === "" && info.resource === "namespaces" ? "" : info.namespace;
        return request.method === "PATCH" && request.patchType === "apply" && info.subresource === "" &&
            this.get(info.apiGroup, info.resource, storedNamespace, info.name) === undefined;
    }

    private admissionPolicies(): AdmissionPolicy[] {
        const bindings = this.list("ValidatingAdmissionPolicyBinding");
        return this.list("ValidatingAdmissionPolicy").map((p) =>
            new AdmissionPolicy(p, bindings.filter((b) => b.spec.policyName === p.metadata.name)));
    }

    // admission/admission.go, ValidatePod: new pods, and pods/ephemeralcontainers updates.
    private podSecurity(a: AdmissionAttributes): Verdict | undefined {
        const pod = a.resource.group === "" && a.resource.resource === "pods" &&
            ((a.operation === "CREATE" && a.subResource === "") || (a.operation === "UPDATE" && a.subResource === "ephemeralcontainers"));
        if (!pod || a.object === null) {
            return undefined;
        }
        const level = enforcedLevel(this.namespaceLabels(a.namespace));
        const violations = podSecurityViolations(level, a.object.spec ?? {});
        return violations.length === 0 ? undefined
            : { allowed: false, layer: `Pod Security Admission (${level})`, reason: `violates PodSecurity "${level}:latest": ${violations.join(", ")}` };
    }

    private admissionAttributes(request: Request, info: RequestInfo): AdmissionAttributes {
        const connect = connectOptions[`${info.resource}/${info.subresource}`];
        if (connect !== undefined && info.apiGroup === "") {
            // rest.go, ConnectResource: CONNECT, the options read from the query as the object, no old object.
            const query = Object.fromEntries(new URLSearchParams(request.path.split("?")[1] ?? ""));
            return {
                operation: "CONNECT", user: request.user, namespace: info.namespace, name: info.name,
                kind: { group: "", version: "v1", kind: connect },
                resource: { group: "", version: info.apiVersion, resource: info.resource }, subResource: info.subresource,
                object: { apiVersion: "v1", kind: connect, ...query }, oldObject: null,
            };
        }
        const operation = info.verb === "create" || this.appliesNew(request, info) ? "CREATE"
            : info.verb === "delete" || info.verb === "deletecollection" ? "DELETE" : "UPDATE";
        const isNamespaceObject = info.apiGroup === "" && info.resource === "namespaces";
        const storedNamespace = isNamespaceObject ? "" : info.namespace;
        const current = info.name === "" ? undefined : this.get(info.apiGroup, info.resource, storedNamespace, info.name);
        if (operation !== "CREATE" && current === undefined) {
            throw new Error(`${request.method} ${request.path}: no such object in the kit's cluster`);
        }
        const asSubresource = (o: Json) => info.subresource === "scale" ? scaleOf(o) : o;
        let object: Json | null;
        let oldObject: Json | null = null;
        if (operation === "CREATE") {
            object = { ...request.body, metadata: { ...request.body?.metadata, ...(info.namespace && !isNamespaceObject ? { namespace: info.namespace } : {}) } };
            if (info.subresource === "" && current !== undefined && request.method === "POST") {
                throw new Error(`${request.method} ${request.path}: ${info.resource} ${object.metadata.name} exists already`);
            }
        } else if (operation === "DELETE") {
            object = null;
            oldObject = current!;
        } else {
            oldObject = asSubresource(current!);
            // An applied configuration sets the fields it names and leaves the fields other managers
            // own as they are, which a merge patch without nulls does too.
            object = request.method === "PATCH" ? mergePatch(oldObject, request.body) as Json : request.body!;
        }
        const kindObject = object ?? oldObject!;
        const [group, version] = groupVersion(kindObject.apiVersion ?? (info.apiGroup ? `${info.apiGroup}/${info.apiVersion}` : info.apiVersion));
        return {
            operation, user: request.user, namespace: info.namespace,
            name: info.name || (object?.metadata?.name ?? ""),
            kind: { group, version, kind: kindObject.kind },
            resource: { group: info.apiGroup, version: info.apiVersion, resource: info.resource },
            subResource: info.subresource,
            object, oldObject,
        };
    }
}

/** The subresources served by a connecter, and the kind of the options admission sees (pkg/registry/core/pod/rest/subresources.go). */
const connectOptions: Record<string, string> = {
    "pods/exec": "PodExecOptions", "pods/attach": "PodAttachOptions", "pods/portforward": "PodPortForwardOptions",
    "pods/proxy": "PodProxyOptions", "services/proxy": "ServiceProxyOptions", "nodes/proxy": "NodeProxyOptions",
};

/**
 * Who a request acts as. With an Impersonate-User header the requester must be allowed the verb
 * `impersonate` on what it names: `serviceaccounts` <name> in <namespace>, `users` <name> and
 * `groups` <name> (cluster-wide); a service account gets its fixed groups when no group is given,
 * and `system:authenticated` is added (impersonation.go, WithImpersonation).
 */
function impersonated(rbac: Rbac, request: Request): { readonly user: UserInfo } | { readonly denied: string } {
    const as = request.impersonate;
    if (as === undefined) {
        return { user: request.user };
    }
    const check = (resource: string, namespace: string, name: string): string | undefined => {
        const decision = rbac.authorize(request.user, {
            isResourceRequest: true, path: request.path, verb: "impersonate", apiGroup: "", apiVersion: "v1",
            namespace, resource, subresource: "", name,
        });
        return decision.allowed ? undefined : `${decision.reason} (impersonate ${resource} ${namespace ? `${namespace}/` : ""}${name})`;
    };
    if ("serviceAccount" in as) {
        const { namespace, name } = as.serviceAccount;
        const denied = check("serviceaccounts", namespace, name);
        return denied ? { denied } : { user: serviceAccount(namespace, name) };
    }
    const denied = [check("users", "", as.user), ...(as.groups ?? []).map((g) => check("groups", "", g))].find((d) => d);
    return denied ? { denied } : { user: { username: as.user, groups: [...(as.groups ?? []), "system:authenticated"] } };
}

// What the API server stores: stringData folded into base64 data (pkg/apis/core/v1 conversion).
function stored(o: Json): Json {
    if (o.kind !== "Secret" || o.stringData === undefined) {
        return o;
    }
    const { stringData, ...rest } = o;
    const data: Record<string, string> = { ...rest.data };
    for (const [k, v] of Object.entries(stringData as Record<string, string>)) {
        data[k] = Buffer.from(v).toString("base64");
    }
    return { ...rest, data };
}

// What the deployment and ReplicaSet controllers make of a Deployment: a ReplicaSet
// <name>-<pod-template-hash> and its pod, each owned by the one before and labelled with the hash.
function controllerMade(o: Json): Json[] {
    if (o.kind !== "Deployment") {
        return [];
    }
    const { name, namespace } = o.metadata;
    const template = o.spec.template;
    const labels = { ...template.metadata?.labels, "pod-template-hash": podTemplateHash };
    const replicaSet = `${name}-${podTemplateHash}`;
    const owner = (kind: string, ownerName: string, apiVersion: string) => [{ apiVersion, kind, name: ownerName, uid: `${ownerName}-uid`, controller: true }];
    return [
        {
            apiVersion: "apps/v1", kind: "ReplicaSet",
            metadata: { name: replicaSet, namespace, labels, ownerReferences: owner("Deployment", name, "apps/v1") },
            spec: { replicas: o.spec.replicas, selector: o.spec.selector, template },
        },
        {
            apiVersion: "v1", kind: "Pod",
            metadata: { name: `${replicaSet}-x7k2p`, namespace, labels, annotations: template.metadata?.annotations, ownerReferences: owner("ReplicaSet", replicaSet, "apps/v1") },
            spec: template.spec,
        },
    ];
}

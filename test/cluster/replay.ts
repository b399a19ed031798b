// The kit's requests sent to the real API server as their principal: the requester's own client
// certificate (or none at all for system:anonymous), its Impersonate-* headers, writes as dry runs.
// The server's answer is read back as the kit's Verdict: admitted, or which layer refused.
import { Cluster, Request, Verdict, podTemplateHash } from "../kit/cluster";
import { ApiClient } from "./apiClient";
import { Applier } from "./applyStack";
import { admin, ControlPlane } from "./controlPlane";

type Json = Record<string, any>;

export interface ServerVerdict extends Verdict {
    readonly status: number;
}

const anonymous = "system:anonymous";

/** Who the server sees: the certificate's CN and O; system:authenticated it adds itself. */
function clientFor(plane: ControlPlane, request: Request): ApiClient {
    if (request.user.username === anonymous) {
        return plane.as(undefined);
    }
    return plane.as({ username: request.user.username, groups: request.user.groups.filter((g) => g !== "system:authenticated") });
}

function impersonationHeaders(request: Request): Record<string, string | string[]> {
    const as = request.impersonate;
    if (as === undefined) {
        return {};
    }
    if ("serviceAccount" in as) {
        return { "Impersonate-User": `system:serviceaccount:${as.serviceAccount.namespace}:${as.serviceAccount.name}` };
    }
    return { "Impersonate-User": as.user, ...(as.groups?.length ? { "Impersonate-Group": [...as.groups] } : {}) };
}

/**
 * The layer a refusal came from, read from the server's message: each layer words its own
 * (ValidatingAdmissionPolicy: "ValidatingAdmissionPolicy '<name>' with binding ... denied request";
 * Pod Security: `violates PodSecurity "<level>:<version>"`; RBAC's escalation check in storage:
 * "is attempting to grant RBAC permissions not currently held"; the authorizer: "cannot <verb>").
 */
export function layerOf(status: number, message: string): string {
    const policy = /ValidatingAdmissionPolicy '([^']+)'/.exec(message);
    if (policy) {
        return `admission policy ${policy[1]}`;
    }
    const podSecurity = /violates PodSecurity "([a-z]+):/.exec(message);
    if (podSecurity) {
        return `Pod Security Admission (${podSecurity[1]})`;
    }
    if (/attempting to grant RBAC permissions not currently held|not allowed to bind|escalat/.test(message)) {
        return "RBAC escalation check";
    }
    if (/exceeded quota/.test(message)) {
        return "ResourceQuota";
    }
    if (status === 403 && /cannot |forbidden: User/.test(message)) {
        return "RBAC";
    }
    return `HTTP ${status}`;
}

/**
 * Names the kit invents for what controllers make (ReplicaSets and pods named with the kit's
 * pod-template-hash), mapped to those the server's controllers really made.
 */
export async function controllerNames(plane: ControlPlane): Promise<Map<string, string>> {
    const client = plane.as(admin);
    const names = new Map<string, string>();
    const replicaSets = (await client.must("GET", "/apis/apps/v1/replicasets")).items as Json[];
    const pods = (await client.must("GET", "/api/v1/pods")).items as Json[];
    for (const rs of replicaSets) {
        const deployment = rs.metadata.ownerReferences?.find((o: Json) => o.kind === "Deployment")?.name;
        if (deployment === undefined) {
            continue;
        }
        names.set(`${rs.metadata.namespace}/${deployment}-${podTemplateHash}`, rs.metadata.name);
        const pod = pods.find((p) => p.metadata.namespace === rs.metadata.namespace && p.metadata.ownerReferences?.some((o: Json) => o.uid === rs.metadata.uid));
        if (pod) {
            names.set(`${rs.metadata.namespace}/${deployment}-${podTemplateHash}-x7k2p`, pod.metadata.name);
        }
    }
    return names;
}

function translate(text: string, names: ReadonlyMap<string, string>, namespace: string): string {
    let out = text;
    // Longest first: a pod's name starts with its ReplicaSet's.
    for (const [kit, real] of [...names].sort((a, b) => b[0].length - a[0].length)) {
        const [ns, name] = kit.split("/");
        if (ns === namespace) {
            out = out.split(name).join(real);
        }
    }
    const hash = [...names].find(([kit]) => kit.startsWith(`${namespace}/`) && !kit.endsWith("-x7k2p"));
    return hash ? out.split(podTemplateHash).join(hash[1].slice(hash[1].lastIndexOf("-") + 1)) : out;
}

const withQuery = (path: string, query: string) => `${path}${path.includes("?") ? "&" : "?"}${query}`;

/** Sends one of the kit's requests; writes are dry runs, so nothing changes. */
export async function send(plane: ControlPlane, request: Request, names: ReadonlyMap<string, string>): Promise<ServerVerdict> {
    const namespace = /\/namespaces\/([^/?]+)/.exec(request.path)?.[1] ?? "";
    const path = translate(request.path, names, namespace);
    const body = request.body === undefined ? undefined : JSON.parse(translate(JSON.stringify(request.body), names, namespace));
    // A connecter (pods/exec, attach, portforward, proxy) refuses dryRun before admission ("dryRun
    // is not supported"): it is sent as it is. It cannot reach a container: no pod of the test
    // server is on a node, so one that admission let through ends in "does not have a host assigned".
    const connect = /\/pods\/[^/]+\/(exec|attach|portforward|proxy)(\?|$)/.test(path);
    const write = request.method !== "GET" && !connect;
    // A controller updates what it read, with its resourceVersion; the kit keeps none. A custom
    // resource takes no update without one (apiextensions-apiserver, AllowUnconditionalUpdate).
    if (request.method === "PUT" && body?.metadata && body.metadata.resourceVersion === undefined) {
        const current = await plane.as(admin).request("GET", path.replace(/\/(status|finalize|scale)(\?.*)?$/, ""));
        if (current.status === 200) {
            body.metadata.resourceVersion = current.body.metadata.resourceVersion;
        }
    }
    const contentType = request.method !== "PATCH" ? "json" : request.patchType === "apply" ? "apply" : "merge";
    const answer = await clientFor(plane, request).request(request.method, write ? withQuery(path, "dryRun=All") : path,
        body, contentType, impersonationHeaders(request) as Record<string, string>);
    const message: string = answer.body?.message ?? (typeof answer.body === "string" ? answer.body : "");
    if (answer.status < 300) {
        return { allowed: true, status: answer.status, reason: `${answer.status}` };
    }
    return { allowed: false, status: answer.status, layer: layerOf(answer.status, message), reason: message };
}

/**
 * A row of the kit, decided by the server: what its `given` adds to the kit's cluster is applied
 * first (by a cluster admin) and removed after, so rows do not see each other.
 */
export async function decideOnServer(plane: ControlPlane, applier: Applier, kit: Cluster,
    row: { readonly given?: (c: Cluster) => Cluster; readonly request: (c: Cluster) => Request },
    names: ReadonlyMap<string, string>): Promise<ServerVerdict> {
    const given = row.given ? row.given(kit) : kit;
    const added = given.beyond(kit);
    const client = plane.as(admin);
    const before = new Map<string, Json | undefined>();
    for (const o of added) {
        const path = await applier.mapper.pathOf(o);
        const current = await client.request("GET", path);
        before.set(path, current.status === 200 ? current.body : undefined);
        const applied = await applier.apply(o);
        if (applied.status >= 300) {
            throw new Error(`could not set up ${o.kind} ${o.metadata.name}: ${applied.message}`);
        }
        if (o.kind === "RoleBinding" || o.kind === "ClusterRoleBinding") {
            await authorizerSees(plane, o);
        }
    }
    try {
        return await send(plane, row.request(given), names);
    } finally {
        for (const [path, old] of before) {
            if (old === undefined) {
                await client.request("DELETE", withQuery(path, "gracePeriodSeconds=0"));
            } else {
                const metadata = { ...old.metadata };
                delete metadata.resourceVersion;
                delete metadata.managedFields;
                await client.request("PUT", path, { ...old, metadata });
            }
        }
    }
}

/**
 * Waits until the authorizer, which reads bindings from its informers' caches, grants what a new
 * binding grants: a SubjectAccessReview of its first subject for the first rule of its role.
 */
async function authorizerSees(plane: ControlPlane, binding: Json): Promise<void> {
    const client = plane.as(admin);
    const namespace: string | undefined = binding.kind === "RoleBinding" ? binding.metadata.namespace : undefined;
    const role = await client.must("GET", binding.roleRef.kind === "ClusterRole"
        ? `/apis/rbac.authorization.k8s.io/v1/clusterroles/${binding.roleRef.name}`
        : `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/roles/${binding.roleRef.name}`);
    const rule = (role.rules ?? []).find((r: Json) => r.resources?.length && !r.resourceNames?.length);
    const subject = binding.subjects?.[0];
    if (!rule || !subject) {
        return;
    }
    const pick = (items: string[], wildcard: string) => items[0] === "*" ? wildcard : items[0];
    const who = subject.kind === "ServiceAccount"
        ? { user: `system:serviceaccount:${subject.namespace ?? namespace}:${subject.name}`, groups: ["system:serviceaccounts", `system:serviceaccounts:${subject.namespace ?? namespace}`] }
        : subject.kind === "User" ? { user: subject.name, groups: [] } : { user: "probe", groups: [subject.name] };
    const review = {
        apiVersion: "authorization.k8s.io/v1", kind: "SubjectAccessReview",
        spec: {
            ...who,
            resourceAttributes: { namespace: namespace ?? "", verb: pick(rule.verbs, "get"), group: pick(rule.apiGroups, ""), resource: pick(rule.resources, "configmaps") },
        },
    };
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
        const answer = await client.must("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", review);
        if (answer.status?.allowed) {
            return;
        }
        await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the authorizer never granted what ${binding.kind} ${binding.metadata.name} binds`);
}

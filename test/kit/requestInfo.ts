// What the API server reads off a request's method and path before it authorizes it, after
// k8s.io/apiserver v0.36.3 pkg/endpoints/request/requestinfo.go (NewRequestInfo). Only the
// parts the platform's requests use: no watch or proxy prefixes, no selectors.

export interface RequestInfo {
    readonly isResourceRequest: boolean;
    readonly path: string;
    /** The RBAC verb: get, list, create, update, patch, delete, deletecollection. */
    readonly verb: string;
    readonly apiGroup: string;
    readonly apiVersion: string;
    readonly namespace: string;
    readonly resource: string;
    readonly subresource: string;
    readonly name: string;
}

// requestinfo.go: namespaceSubresources.
const namespaceSubresources = new Set(["status", "finalize"]);

const verbOfMethod: Record<string, string> = { GET: "get", HEAD: "get", POST: "create", PUT: "update", PATCH: "patch", DELETE: "delete" };

/** The request info of `method path`, e.g. `PATCH /api/v1/namespaces/team1/secrets/flux-git-deploy`. */
export function requestInfo(method: string, path: string): RequestInfo {
    const parts = path.split("?")[0].split("/").filter((p) => p !== "");
    const none = { apiGroup: "", apiVersion: "", namespace: "", resource: "", subresource: "", name: "" };
    const nonResource = { ...none, isResourceRequest: false, path, verb: method.toLowerCase() };
    // Fewer than three parts (/api/v1, /apis), or a group without a version and a resource
    // (/apis/apps/v1), is discovery: a non-resource request.
    if (parts.length < 3 || (parts[0] !== "api" && parts[0] !== "apis") || (parts[0] === "apis" && parts.length < 4)) {
        return nonResource;
    }
    const legacy = parts[0] === "api";
    const apiGroup = legacy ? "" : parts[1];
    const apiVersion = legacy ? parts[1] : parts[2];
    let rest = parts.slice(legacy ? 2 : 3);
    let verb = verbOfMethod[method];
    if (verb === undefined) {
        throw new Error(`no verb for method ${method}`);
    }
    let namespace = "";
    // The `namespaces` branch: /namespaces/<ns> names the namespace of the request, and is the
    // Namespace object itself unless a namespaced resource follows (status and finalize do not).
    if (rest[0] === "namespaces" && rest.length > 1) {
        namespace = rest[1];
        if (rest.length > 2 && !namespaceSubresources.has(rest[2])) {
            rest = rest.slice(2);
        }
    }
    const [resource = "", name = "", subresource = ""] = rest;
    if (name === "" && verb === "get") {
        verb = "list";
    }
    if (name === "" && verb === "delete") {
        verb = "deletecollection";
    }
    return { isResourceRequest: true, path, verb, apiGroup, apiVersion, namespace, resource, subresource, name };
}

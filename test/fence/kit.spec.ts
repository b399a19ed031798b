import { strict as assert } from "assert";
import { AdmissionPolicy } from "../kit/admission";
import { Cluster } from "../kit/cluster";
import { Rbac } from "../kit/rbac";
import { requestInfo } from "../kit/requestInfo";
import { serviceAccount } from "../kit/users";

describe("the request-deciding kit (test/kit) itself", () => {
    it("reads a request on a Namespace as a request inside that namespace, status and finalize included", () => {
        assert.deepEqual(requestInfo("PATCH", "/api/v1/namespaces/team1"),
            { isResourceRequest: true, path: "/api/v1/namespaces/team1", verb: "patch", apiGroup: "", apiVersion: "v1", namespace: "team1", resource: "namespaces", subresource: "", name: "team1" });
        assert.equal(requestInfo("PUT", "/api/v1/namespaces/team1/finalize").subresource, "finalize");
        assert.equal(requestInfo("POST", "/api/v1/namespaces").namespace, "");
        assert.equal(requestInfo("DELETE", "/api/v1/namespaces/team1/secrets").verb, "deletecollection");
        assert.equal(requestInfo("GET", "/apis/apps/v1").isResourceRequest, false);
    });

    it("lets a RoleBinding's '*' reach the namespace it is in, the Namespace object and every subresource, and nothing else", () => {
        const rbac = new Rbac([], [{ name: "all", rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }] }],
            [{ name: "b", namespace: "team1", roleRef: { kind: "ClusterRole", name: "all" }, subjects: [{ kind: "ServiceAccount", name: "flux" }] }]);
        const flux = serviceAccount("team1", "flux");
        assert.equal(rbac.authorize(flux, requestInfo("DELETE", "/api/v1/namespaces/team1")).allowed, true);
        assert.equal(rbac.authorize(flux, requestInfo("PUT", "/api/v1/namespaces/team1/finalize")).allowed, true);
        assert.equal(rbac.authorize(flux, requestInfo("DELETE", "/api/v1/namespaces/team2")).allowed, false);
        assert.equal(rbac.authorize(flux, requestInfo("GET", "/api/v1/nodes")).allowed, false);
        assert.equal(rbac.authorize(serviceAccount("team2", "flux"), requestInfo("GET", "/api/v1/namespaces/team1/secrets")).allowed, false);
    });

    it("matches a Namespace update against the new object's labels, and '*' against no subresource", () => {
        const policy = (resources: string[]) => new AdmissionPolicy({
            metadata: { name: "p" },
            spec: {
                failurePolicy: "Fail",
                matchConstraints: { namespaceSelector: { matchExpressions: [{ key: "team", operator: "Exists" }] }, resourceRules: [{ apiGroups: ["*"], apiVersions: ["*"], resources, operations: ["*"] }] },
                validations: [{ expression: "false", message: "no" }],
            },
        }, [{ spec: { policyName: "p", validationActions: ["Deny"] } }]);
        const stored = () => ({ team: "team1" });
        const update = (labels: Record<string, string>, subResource = "") => ({
            operation: "UPDATE" as const, user: serviceAccount("team1", "flux"), namespace: "team1", name: "team1",
            kind: { group: "", version: "v1", kind: "Namespace" }, resource: { group: "", version: "v1", resource: "namespaces" }, subResource,
            object: { metadata: { name: "team1", labels } }, oldObject: { metadata: { name: "team1", labels: { team: "team1" } } },
        });
        assert.equal(policy(["*"]).decide(update({ team: "team1" }), stored)?.allowed, false);
        assert.equal(policy(["*"]).decide(update({}), stored), undefined, "dropping the label takes it out of a label selector");
        assert.equal(policy(["*"]).decide(update({}, "finalize"), stored), undefined);
        assert.equal(policy(["*/*"]).decide(update({}, "finalize"), stored)?.allowed, false, "a subresource is matched against the stored namespace");
    });

    describe("impersonation and server-side apply", () => {
        const role = (name: string, rules: object[]) => ({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name }, rules });
        const bind = (name: string, roleName: string, namespace?: string) => ({
            apiVersion: "rbac.authorization.k8s.io/v1", kind: namespace ? "RoleBinding" : "ClusterRoleBinding", metadata: { name, ...(namespace ? { namespace } : {}) },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: roleName },
            subjects: [{ kind: "ServiceAccount", name: name, namespace: namespace ?? "ops" }],
        });
        const cluster = Cluster.fromRecording({ resources: [] } as never).with(
            { apiVersion: "v1", kind: "Namespace", metadata: { name: "team1" } },
            role("impersonator", [{ apiGroups: [""], resources: ["serviceaccounts"], verbs: ["impersonate"] }]),
            bind("controller", "impersonator"),
            role("patch-only", [{ apiGroups: ["*"], resources: ["*"], verbs: ["get", "patch"] }]),
            bind("tenant", "patch-only", "team1"),
        );
        const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "team1" }, data: { a: "b" } };
        const asTenant = { serviceAccount: { namespace: "team1", name: "tenant" } };

        it("acts as the impersonated service account only when the sender may impersonate it", () => {
            const read = { method: "GET" as const, path: "/api/v1/namespaces/team1/configmaps/c", impersonate: asTenant };
            const withConfigMap = cluster.with(configMap);
            assert.equal(withConfigMap.decide({ ...read, user: serviceAccount("ops", "controller") }).allowed, true);
            const refused = withConfigMap.decide({ ...read, user: serviceAccount("ops", "other") });
            assert.equal(refused.allowed, false);
            assert.match(refused.reason, /impersonate serviceaccounts team1\/tenant/);
            assert.equal(withConfigMap.decide({ ...read, user: serviceAccount("ops", "controller"), impersonate: { user: "admin", groups: ["system:masters"] } }).allowed, false,
                "impersonating a user or a group needs its own rule");
        });

        it("authorizes an apply that creates the object as a create too, and one that updates it as a patch", () => {
            const apply = { user: serviceAccount("ops", "controller"), impersonate: asTenant, method: "PATCH" as const, patchType: "apply" as const,
                path: "/api/v1/namespaces/team1/configmaps/c?fieldManager=kustomize-controller", body: configMap };
            const creating = cluster.decide(apply);
            assert.equal(creating.allowed, false);
            assert.match(creating.reason, /create configmaps/);
            assert.equal(cluster.with(configMap).decide(apply).allowed, true);
        });
    });
});

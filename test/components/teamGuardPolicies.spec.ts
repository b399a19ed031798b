import { strict as assert } from "assert";
import { FluxV1 } from "../../components/engines/flux1/fluxV1";
import { fluxV1Admission } from "../../components/engines/flux1/admission";
import * as cel from "../../components/fence/teamGuardCel";

const platformObjectsCel = cel.platformObjectsCel([fluxV1Admission]);
const restrictedPodCel = cel.restrictedPodCel([fluxV1Admission]);
import { violations } from "../kit/cel";
import { authorizerVariable } from "../kit/admission";
import { teamFluxArgs } from "../kit/teamFixture";
import { record } from "../kit/harness";

const platform = { "app.kubernetes.io/part-of": "gitops-platform", "app.kubernetes.io/managed-by": "pulumi" };
const teamFlux = "system:serviceaccount:team1:flux";

interface Request {
    operation: "CREATE" | "UPDATE" | "DELETE";
    username: string;
    kind: [string, string, string];
    name: string;
    object?: unknown;
    oldObject?: unknown;
}

/**
 * The authorizer of these unit tests: the platform (a cluster admin) and kube-controller-manager's
 * controllers hold their rights cluster-wide; no one else does (the kit decides it from RBAC).
 */
const clusterWide = (username: string) => authorizerVariable(() =>
    username === "kubernetes-admin" || username.startsWith("system:serviceaccount:kube-system:"));

function objectsPolicy(r: Request): string[] {
    const [group, kind, resource] = r.kind;
    return violations(platformObjectsCel, {
        authorizer: clusterWide(r.username),
        request: {
            operation: r.operation, namespace: "team1", name: r.name, subResource: "",
            userInfo: { username: r.username },
            kind: { group, version: "v1", kind },
            resource: { group, version: "v1", resource },
        },
        object: r.object ?? null,
        oldObject: r.oldObject ?? null,
    });
}

const quota: Request["kind"] = ["", "ResourceQuota", "resourcequotas"];
const deployment: Request["kind"] = ["apps", "Deployment", "deployments"];
const replicaSet: Request["kind"] = ["apps", "ReplicaSet", "replicasets"];
const platformQuota = { metadata: { name: "platform-quota", namespace: "team1", labels: platform }, spec: { hard: { pods: "30" } } };

describe("the TeamGuard's platform-objects policy (its CEL, evaluated)", () => {
    it("refuses the team's Flux deleting or loosening the platform's quota, naming who and what", () => {
        assert.deepEqual(objectsPolicy({ operation: "DELETE", username: teamFlux, kind: quota, name: "platform-quota", oldObject: platformQuota }), [
            "resourcequotas platform-quota in team1 is the platform's (labelled app.kubernetes.io/part-of=gitops-platform): " +
            "system:serviceaccount:team1:flux may not delete it",
        ]);
        const loosened = { ...platformQuota, spec: { hard: { pods: "3000" } } };
        assert.equal(objectsPolicy({ operation: "UPDATE", username: teamFlux, kind: quota, name: "platform-quota", object: loosened, oldObject: platformQuota }).length, 1);
    });

    it("refuses stripping the label, and any other service account of the namespace, such as a team pod's", () => {
        const unlabelled = { metadata: { name: "platform-quota", labels: {} }, spec: { hard: { pods: "3000" } } };
        assert.equal(objectsPolicy({ operation: "UPDATE", username: teamFlux, kind: quota, name: "platform-quota", object: unlabelled, oldObject: platformQuota }).length, 1);
        assert.equal(objectsPolicy({ operation: "DELETE", username: "system:serviceaccount:team1:default", kind: quota, name: "platform-quota", oldObject: platformQuota }).length, 1);
    });

    it("refuses the team creating objects that pass for the platform's, and changing its Flux", () => {
        const fake = { metadata: { name: "fake", labels: platform }, spec: {} };
        assert.equal(objectsPolicy({ operation: "CREATE", username: teamFlux, kind: ["", "Pod", "pods"], name: "fake", object: fake }).length, 1);
        const flux = { metadata: { name: "flux", labels: platform }, spec: {} };
        assert.equal(objectsPolicy({ operation: "UPDATE", username: teamFlux, kind: deployment, name: "flux", object: flux, oldObject: flux }).length, 1);
    });

    it("refuses the team a ReplicaSet named like those of its Flux Deployment, by name or generateName", () => {
        assert.deepEqual(objectsPolicy({ operation: "CREATE", username: teamFlux, kind: replicaSet, name: "flux-5d7d9fc9d5", object: { metadata: { name: "flux-5d7d9fc9d5" } } }), [
            "ReplicaSets named flux-* in team1 are made only from the platform's flux Deployment: system:serviceaccount:team1:flux may not create one",
        ]);
        assert.equal(objectsPolicy({ operation: "CREATE", username: teamFlux, kind: replicaSet, name: "", object: { metadata: { generateName: "flux-" } } }).length, 1);
        assert.deepEqual(objectsPolicy({ operation: "CREATE", username: teamFlux, kind: replicaSet, name: "web-5d7d9fc9d5", object: { metadata: { name: "web-5d7d9fc9d5" } } }), []);
    });

    it("lets the team's Flux do anything else in its namespace", () => {
        const web = { metadata: { name: "web", labels: { app: "web" } }, spec: {} };
        for (const operation of ["CREATE", "UPDATE"] as const) {
            assert.deepEqual(objectsPolicy({ operation, username: teamFlux, kind: deployment, name: "web", object: web, oldObject: operation === "UPDATE" ? web : undefined }), []);
        }
        assert.deepEqual(objectsPolicy({ operation: "DELETE", username: teamFlux, kind: deployment, name: "web", oldObject: web }), []);
        const ownQuota = { metadata: { name: "tighter", labels: {} }, spec: { hard: { pods: "5" } } };
        assert.deepEqual(objectsPolicy({ operation: "CREATE", username: teamFlux, kind: quota, name: "tighter", object: ownQuota }), []);
    });

    it("leaves the platform and the cluster's controllers alone", () => {
        assert.deepEqual(objectsPolicy({ operation: "DELETE", username: "kubernetes-admin", kind: quota, name: "platform-quota", oldObject: platformQuota }), []);
        const pod = { metadata: { generateName: "flux-5d7d9fc9d5-", labels: platform }, spec: {} };
        assert.deepEqual(objectsPolicy({ operation: "CREATE", username: "system:serviceaccount:kube-system:replicaset-controller", kind: ["", "Pod", "pods"], name: "", object: pod }), []);
        assert.deepEqual(objectsPolicy({ operation: "CREATE", username: "system:serviceaccount:kube-system:deployment-controller", kind: replicaSet, name: "flux-5d7d9fc9d5", object: { metadata: { name: "flux-5d7d9fc9d5", labels: platform } } }), []);
    });
});

type Json = Record<string, any>;

const confined = {
    allowPrivilegeEscalation: false,
    runAsNonRoot: true,
    seccompProfile: { type: "RuntimeDefault" },
    capabilities: { drop: ["ALL"] },
};

function pod(spec: Json, metadata: Json = { generateName: "web-7c9f-", labels: { app: "web" } }): Json {
    return { apiVersion: "v1", kind: "Pod", metadata, spec };
}

const restricted = (object: Json) => violations(restrictedPodCel, { object, oldObject: null, request: { operation: "CREATE", namespace: "team1" } });

describe("the TeamGuard's restricted-pods policy (its CEL, evaluated)", () => {
    it("admits a pod that meets the restricted profile, set per container or for the pod", () => {
        assert.deepEqual(restricted(pod({ containers: [{ name: "web", image: "x", securityContext: confined }] })), []);
        assert.deepEqual(restricted(pod({
            securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "Localhost", localhostProfile: "p.json" } },
            containers: [{ name: "web", image: "x", securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } } }],
            volumes: [{ name: "cache", emptyDir: {} }, { name: "config", configMap: { name: "c" } }, { name: "data", persistentVolumeClaim: { claimName: "d" } }],
        })), []);
    });

    it("names each missing setting and every container that lacks it", () => {
        assert.deepEqual(restricted(pod({ containers: [{ name: "web", image: "x" }, { name: "sidecar", image: "y", securityContext: confined }] })), [
            "restricted: containers <web> must set securityContext.allowPrivilegeEscalation to false",
            "restricted: containers <web> must run as non-root: set securityContext.runAsNonRoot to true on the pod or the container",
            "restricted: containers <web> must set securityContext.seccompProfile.type to RuntimeDefault or Localhost on the pod or the container",
            "restricted: containers <web> must drop ALL capabilities and may add only NET_BIND_SERVICE",
        ]);
    });

    it("judges init and ephemeral containers like the others", () => {
        const escalating = { ...confined, allowPrivilegeEscalation: true };
        assert.deepEqual(restricted(pod({
            containers: [{ name: "web", image: "x", securityContext: confined }],
            initContainers: [{ name: "migrate", image: "x", securityContext: escalating }],
            ephemeralContainers: [{ name: "debug", image: "x", securityContext: escalating }],
        })), ["restricted: containers <migrate, debug> must set securityContext.allowPrivilegeEscalation to false"]);
    });

    it("refuses root, unconfined seccomp, added capabilities and host volumes", () => {
        const web = (securityContext: Json) => pod({ containers: [{ name: "web", image: "x", securityContext: { ...confined, ...securityContext } }] });
        assert.deepEqual(restricted(web({ runAsNonRoot: false })),
            ["restricted: containers <web> must run as non-root: set securityContext.runAsNonRoot to true on the pod or the container"]);
        assert.deepEqual(restricted(web({ runAsUser: 0 })), ["restricted: containers <web> may not set securityContext.runAsUser to 0"]);
        assert.deepEqual(restricted(web({ seccompProfile: { type: "Unconfined" } })),
            ["restricted: containers <web> must set securityContext.seccompProfile.type to RuntimeDefault or Localhost on the pod or the container"]);
        assert.deepEqual(restricted(web({ capabilities: { drop: ["ALL"], add: ["SYS_ADMIN"] } })),
            ["restricted: containers <web> must drop ALL capabilities and may add only NET_BIND_SERVICE"]);
        assert.deepEqual(restricted(pod({
            securityContext: { runAsUser: 0 },
            containers: [{ name: "web", image: "x", securityContext: confined }],
            volumes: [{ name: "host", hostPath: { path: "/var/run" } }, { name: "cache", emptyDir: {} }],
        })), [
            "restricted: volumes <host> may only be configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret",
            "restricted: the pod may not set securityContext.runAsUser to 0",
        ]);
    });

    it("lets the container override the pod's runAsNonRoot and seccomp, for the worse too", () => {
        const spec = {
            securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
            containers: [{ name: "web", image: "x", securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, runAsNonRoot: false } }],
        };
        assert.deepEqual(restricted(pod(spec)),
            ["restricted: containers <web> must run as non-root: set securityContext.runAsNonRoot to true on the pod or the container"]);
    });

    describe("and the team's own Flux, which must run as root", () => {
        let fluxPodSpec: Json;
        let fluxPodLabels: Json;
        before(async () => {
            const { recording } = await record(() => new FluxV1("flux", teamFluxArgs()));
            const template = recording.k8s("kubernetes:apps/v1:Deployment", "team1", "flux").inputs.spec.template;
            fluxPodSpec = template.spec;
            fluxPodLabels = template.metadata.labels;
        });

        // A pod as the ReplicaSet controller makes it: the template's labels, the hash, the owner.
        const madeBy = (replicaSet: string, hash: string, labels: Json) => ({
            generateName: `${replicaSet}-`,
            labels: { ...labels, "pod-template-hash": hash },
            ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: replicaSet, uid: "u", controller: true }],
        });

        it("is exempt when it is a pod of the platform's Flux Deployment", () => {
            assert.deepEqual(restricted(pod(fluxPodSpec, madeBy("flux-5d7d9fc9d5", "5d7d9fc9d5", fluxPodLabels))), []);
        });

        it("is not exempt when a team copies it into a workload of its own", () => {
            const copied = restricted(pod(fluxPodSpec, madeBy("fluxy-6b8c7d", "6b8c7d", fluxPodLabels)));
            // fluxd drops every capability, forbids escalation and keeps RuntimeDefault seccomp:
            // of restricted it misses only non-root.
            assert.equal(copied.length, 1);
            assert.equal(restricted(pod(fluxPodSpec, madeBy("flux-5d7d9fc9d5", "5d7d9fc9d5", { app: "flux" }))).length, 1);
            assert.equal(restricted(pod(fluxPodSpec, madeBy("flux-5d7d9fc9d5", "0000000000", fluxPodLabels))).length, 1);
        });

        it("is exempt by whichever engines are installed, and by none when no engine runs pods in team namespaces", () => {
            const other = { teamDeployment: "agent", bookkeeping: { labels: [], annotations: [] } };
            const judge = (engines: Parameters<typeof cel.restrictedPodCel>[0], object: Json) =>
                violations(cel.restrictedPodCel(engines), { object, oldObject: null, request: { operation: "CREATE", namespace: "team1" } });
            const fluxPod = pod(fluxPodSpec, madeBy("flux-5d7d9fc9d5", "5d7d9fc9d5", fluxPodLabels));
            const agentPod = pod(fluxPodSpec, madeBy("agent-5d7d9fc9d5", "5d7d9fc9d5", fluxPodLabels));
            assert.deepEqual(judge([fluxV1Admission, other], fluxPod), []);
            assert.deepEqual(judge([fluxV1Admission, other], agentPod), []);
            assert.equal(judge([fluxV1Admission], agentPod).length, 1);
            assert.equal(judge([], fluxPod).length, 1);
        });
    });
});

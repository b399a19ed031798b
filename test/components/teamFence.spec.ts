import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Team } from "../../components/platform/team";
import { fenceDefaults } from "../../config/fence";
import { bytes, cores } from "../../components/shared/settings/quantity";
import { FenceSettings, TeamSettings } from "../../config/types";
import { record, Recording } from "../kit/harness";
import { teamArgs, teamSettings } from "../kit/teamFixture";

async function build(fence: Partial<FenceSettings> = {}, ingressNamespaces: string[] = [], customResources: string[] = [],
    extra: { installedCustomResources?: string[]; flagger?: boolean; slackWebhook?: string } = {}): Promise<Recording> {
    const settings: TeamSettings = {
        ...teamSettings, branch: "master", path: "", fence: { ...fenceDefaults, ...fence },
        ...(extra.slackWebhook ? { slack: { ...teamSettings.slack, webhook: pulumi.secret(extra.slackWebhook) } } : {}),
    };
    return (await record(() => new Team("team1", teamArgs(settings, { ingressNamespaces, customResources, ...extra })))).recording;
}

const psa = (level: string, warn = "restricted") => ({
    "pod-security.kubernetes.io/enforce": level,
    "pod-security.kubernetes.io/enforce-version": "latest",
    "pod-security.kubernetes.io/warn": warn,
    "pod-security.kubernetes.io/warn-version": "latest",
    "pod-security.kubernetes.io/audit": warn,
    "pod-security.kubernetes.io/audit-version": "latest",
});

function namespaceLabels(recording: Recording): Record<string, string> {
    return recording.get("kubernetes:core/v1:Namespace", "team1-namespace").inputs.metadata.labels;
}

function pick(labels: Record<string, string>, prefix: string): Record<string, string> {
    return Object.fromEntries(Object.entries(labels).filter(([k]) => k.startsWith(prefix)));
}

// The baseline Pod Security Standard, the checks a pod spec can fail: what PSA would refuse.
function baselineViolations(spec: Record<string, any>): string[] {
    const found: string[] = [];
    const baselineCaps = ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
        "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"];
    for (const host of ["hostNetwork", "hostPID", "hostIPC"]) {
        if (spec[host]) {
            found.push(host);
        }
    }
    for (const volume of spec.volumes ?? []) {
        if (volume.hostPath) {
            found.push(`hostPath volume ${volume.name}`);
        }
    }
    if (spec.securityContext?.seccompProfile?.type === "Unconfined") {
        found.push("unconfined seccomp");
    }
    for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
        const sc = c.securityContext ?? {};
        if (sc.privileged) {
            found.push(`${c.name} privileged`);
        }
        if ((sc.capabilities?.add ?? []).some((cap: string) => !baselineCaps.includes(cap))) {
            found.push(`${c.name} adds capabilities`);
        }
        if ((c.ports ?? []).some((p: any) => p.hostPort)) {
            found.push(`${c.name} hostPort`);
        }
        if (sc.procMount && sc.procMount !== "Default") {
            found.push(`${c.name} procMount`);
        }
        if (sc.seccompProfile?.type === "Unconfined") {
            found.push(`${c.name} unconfined seccomp`);
        }
    }
    return found;
}

describe("a team's fence", () => {
    describe("pod security", () => {
        it("enforces baseline by default, the seed's PSP, and warns and audits at restricted", async () => {
            const labels = namespaceLabels(await build());
            assert.deepEqual(pick(labels, "pod-security.kubernetes.io/"), psa("baseline"));
            assert.equal(labels["gitops-platform/pod-security"], "baseline");
        });

        it("enforces privileged for a team that asks for it, still warning at restricted", async () => {
            assert.deepEqual(pick(namespaceLabels(await build({ podSecurity: "privileged" })), "pod-security.kubernetes.io/"), psa("privileged"));
        });

        it("for restricted, has PSA enforce baseline (the team's Flux runs as root) and marks the namespace for the TeamGuard", async () => {
            const labels = namespaceLabels(await build({ podSecurity: "restricted" }));
            assert.deepEqual(pick(labels, "pod-security.kubernetes.io/"), psa("baseline"));
            assert.equal(labels["gitops-platform/pod-security"], "restricted");
        });

        it("runs a Flux that baseline admits; the checker itself refuses what the seed's PSP refused", async () => {
            const spec = (await build()).k8s("kubernetes:apps/v1:Deployment", "team1", "flux").inputs.spec.template.spec;
            assert.deepEqual(baselineViolations(spec), []);
            assert.deepEqual(baselineViolations({
                hostNetwork: true,
                volumes: [{ name: "docker", hostPath: { path: "/var/run/docker.sock" } }],
                containers: [{ name: "podinfo", securityContext: { privileged: true } }],
            }), ["hostNetwork", "hostPath volume docker", "podinfo privileged"]);
        });
    });

    describe("quota and limits", () => {
        it("caps a team that sets nothing: cpu and memory, pods, storage, no load balancers or node ports", async () => {
            const quota = (await build()).k8s("kubernetes:core/v1:ResourceQuota", "team1", "platform-quota").inputs;
            assert.deepEqual(quota.spec.hard, {
                "requests.cpu": "2",
                "requests.memory": "4Gi",
                "limits.memory": "4Gi",
                "pods": "30",
                "requests.storage": "20Gi",
                "services.loadbalancers": "0",
                "services.nodeports": "0",
                "requests.ephemeral-storage": "10Gi",
                "limits.ephemeral-storage": "10Gi",
                "count/secrets": "50",
                "count/configmaps": "50",
                "count/services": "20",
                "count/persistentvolumeclaims": "10",
            });
            assert.equal(quota.metadata.labels["gitops-platform/team"], "team1");
            assert.equal(quota.metadata.labels["app.kubernetes.io/part-of"], "gitops-platform");
        });

        it("takes a team's own quota", async () => {
            const quota = (await build({
                quota: {
                    cpu: "8", memory: "16Gi", pods: 100, storage: "1Ti", loadBalancers: 2, nodePorts: 1, ephemeralStorage: "50Gi",
                    secrets: 200, configMaps: 300, services: 40, persistentVolumeClaims: 5, customResources: 70,
                },
            }, [], ["canaries.flagger.app"]));
            assert.deepEqual(quota.k8s("kubernetes:core/v1:ResourceQuota", "team1", "platform-quota").inputs.spec.hard, {
                "requests.cpu": "8", "requests.memory": "16Gi", "limits.memory": "16Gi", "pods": "100",
                "requests.storage": "1Ti", "services.loadbalancers": "2", "services.nodeports": "1",
                "requests.ephemeral-storage": "50Gi", "limits.ephemeral-storage": "50Gi",
                "count/secrets": "200", "count/configmaps": "300", "count/services": "40", "count/persistentvolumeclaims": "5",
            });
            assert.deepEqual(quota.k8s("kubernetes:core/v1:ResourceQuota", "team1", "platform-quota-custom").inputs.spec.hard, {
                "count/canaries.flagger.app": "70",
            });
        });

        describe("the custom kinds' counts", () => {
            const kinds = ["gitrepositories.source.toolkit.fluxcd.io", "kustomizations.kustomize.toolkit.fluxcd.io", "canaries.flagger.app"];

            it("count each kind in a quota of their own, which waits until each installed kind has a used count", async () => {
                const recording = await build({}, [], kinds, { installedCustomResources: kinds.slice(0, 2) });
                const custom = recording.k8s("kubernetes:core/v1:ResourceQuota", "team1", "platform-quota-custom");
                assert.equal(custom.name, "team1-policy-custom-quota");
                assert.deepEqual(custom.inputs.spec.hard, Object.fromEntries(kinds.map((k) => [`count/${k}`, "50"])));
                assert.equal(custom.inputs.metadata.labels["app.kubernetes.io/part-of"], "gitops-platform");
                // The provider's syntax: a JSON array of conditions, all awaited; a bracketed name holds the dots and the slash.
                assert.deepEqual(JSON.parse(custom.inputs.metadata.annotations["pulumi.com/waitFor"]), [
                    "jsonpath={.status.used['count/gitrepositories.source.toolkit.fluxcd.io']}",
                    "jsonpath={.status.used['count/kustomizations.kustomize.toolkit.fluxcd.io']}",
                ]);
            });

            it("wait for the controller's first sync when none of the kinds is installed", async () => {
                const custom = (await build({}, [], kinds)).k8s("kubernetes:core/v1:ResourceQuota", "team1", "platform-quota-custom");
                assert.equal(custom.inputs.metadata.annotations["pulumi.com/waitFor"], "jsonpath={.status.hard}");
            });

            it("are in force before the engine's sync and the team's AlertProvider are created", async () => {
                const recording = await build({}, [], kinds, { installedCustomResources: kinds, flagger: true, slackWebhook: "https://hooks.slack.com/services/T0/B0/x" });
                const quota = "team1-policy-custom-quota";
                const inNamespace = recording.resources.filter((r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh/") &&
                    r.inputs.metadata?.namespace === "team1");
                const synced = inNamespace.filter((r) => r.name.startsWith("team1-flux-") || r.name.startsWith("team1-alerts-"));
                assert.ok(synced.some((r) => r.type === "kubernetes:apps/v1:Deployment"), "the team's fluxd");
                assert.ok(synced.some((r) => r.inputs.kind === "AlertProvider"), "the team's AlertProvider");
                const awaits = (name: string, seen = new Set<string>()): boolean => {
                    const r = recording.resources.find((x) => x.name === name);
                    return !!r && r.dependsOn.some((d) => d === quota || (!seen.has(d) && seen.add(d) && awaits(d, seen)));
                };
                for (const r of synced) {
                    assert.ok(awaits(r.name), `${r.type} ${r.name} does not wait for the custom quota`);
                }
                // The fence itself does not wait for it.
                const fence = inNamespace.filter((r) => r.name.startsWith("team1-policy-") && r.name !== quota);
                assert.ok(fence.length >= 3);
                for (const r of fence) {
                    assert.ok(!awaits(r.name), `${r.name} waits for the custom quota`);
                }
            });
        });

        it("gives containers that say nothing a default request and memory limit, and no cpu limit unless asked", async () => {
            const defaults = (await build()).k8s("kubernetes:core/v1:LimitRange", "team1", "platform-defaults").inputs;
            assert.deepEqual(defaults.spec.limits, [{
                type: "Container",
                defaultRequest: { "cpu": "100m", "memory": "128Mi", "ephemeral-storage": "100Mi" },
                default: { "memory": "256Mi", "ephemeral-storage": "1Gi" },
            }]);
            const custom = (await build({
                limits: {
                    defaultRequest: { cpu: "50m", memory: "64Mi", ephemeralStorage: "200Mi" },
                    default: { cpu: "500m", memory: "512Mi", ephemeralStorage: "2Gi" },
                },
            })).k8s("kubernetes:core/v1:LimitRange", "team1", "platform-defaults").inputs;
            assert.deepEqual(custom.spec.limits[0].default, { "cpu": "500m", "memory": "512Mi", "ephemeral-storage": "2Gi" });
            assert.deepEqual(custom.spec.limits[0].defaultRequest, { "cpu": "50m", "memory": "64Mi", "ephemeral-storage": "200Mi" });
        });

        it("leaves room in the default quota for the team's own Flux, which counts against it", async () => {
            const recording = await build();
            const resources = recording.k8s("kubernetes:apps/v1:Deployment", "team1", "flux").inputs.spec.template.spec.containers[0].resources;
            assert.deepEqual(resources, { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "512Mi" } });
            const hard = recording.k8s("kubernetes:core/v1:ResourceQuota", "team1", "platform-quota").inputs.spec.hard;
            assert.ok(cores(resources.requests.cpu) < cores(hard["requests.cpu"]));
            assert.ok(bytes(resources.requests.memory) < bytes(hard["requests.memory"]));
            assert.ok(bytes(resources.limits.memory) < bytes(hard["limits.memory"]));
        });
    });

    describe("network", () => {
        // Flagger's and its Prometheus' pod labels: fluxcd/flagger v1.44.0 charts/flagger/templates/
        // deployment.yaml and prometheus.yaml (test/kit/fixtures/network.ts, checked by the cluster tier).
        const flaggerPods = {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "flagger-system" } },
            podSelector: {
                matchLabels: { "app.kubernetes.io/instance": "flagger" },
                matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["flagger", "flagger-prometheus"] }],
            },
        };

        it("admits traffic from its own pods, Flagger and its Prometheus, and the ingress namespaces, and nothing else", async () => {
            const policy = (await build({}, ["ingress-nginx", "kube-system"]))
                .k8s("kubernetes:networking.k8s.io/v1:NetworkPolicy", "team1", "platform-isolation").inputs;
            assert.deepEqual(policy.spec, {
                podSelector: {},
                policyTypes: ["Ingress"],
                ingress: [{
                    from: [
                        { podSelector: {} },
                        flaggerPods,
                        { namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["ingress-nginx", "kube-system"] }] } },
                    ],
                }],
            });
        });

        it("names no namespace selector without namespaces when no ingress namespace is configured", async () => {
            const policy = (await build({}, [])).k8s("kubernetes:networking.k8s.io/v1:NetworkPolicy", "team1", "platform-isolation").inputs;
            assert.deepEqual(policy.spec.ingress[0].from, [{ podSelector: {} }, flaggerPods]);
        });
    });

    describe("the ContainerResources constraint", () => {
        it("is the team's own, matching the checked workloads in its namespace, and waits for the template", async () => {
            const [constraint] = (await build()).ofType("kubernetes:constraints.gatekeeper.sh/v1beta1:ContainerResources");
            assert.equal(constraint.name, "team1-policy-container-resources");
            assert.equal(constraint.inputs.metadata.name, "team1");
            assert.deepEqual(constraint.inputs.spec, {
                enforcementAction: "deny",
                match: {
                    kinds: [{ apiGroups: ["apps"], kinds: ["Deployment", "StatefulSet", "DaemonSet"] }],
                    namespaces: ["team1"],
                },
            });
            assert.ok(constraint.dependsOn.includes("gatekeeper-container-resources"));
        });

        it("is left out for a team that opts out", async () => {
            const recording = await build({ policies: { containerResources: false } });
            assert.deepEqual(recording.ofType("kubernetes:constraints.gatekeeper.sh/v1beta1:ContainerResources"), []);
            recording.k8s("kubernetes:core/v1:ResourceQuota", "team1", "platform-quota");
        });
    });
});

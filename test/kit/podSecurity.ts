// Pod Security Admission's enforce level for a pod, from its namespace's labels, with the checks
// of the baseline and restricted levels that the tables need (kubernetes/pod-security-admission
// v0.36.2 policy/check_*.go; which pods it judges: admission/admission.go, ValidatePod). Not
// modelled: AppArmor, SELinux options, /proc mount, sysctls, Windows host process, probes' host
// fields (each a baseline check this kit's tables do not use), and user-namespace relaxations.

type Json = Record<string, any>;

export type Level = "privileged" | "baseline" | "restricted";

/** The enforce label; a namespace without one is `privileged`, PSA's default. */
export function enforcedLevel(namespaceLabels: Readonly<Record<string, string>>): Level {
    return (namespaceLabels["pod-security.kubernetes.io/enforce"] as Level | undefined) ?? "privileged";
}

function containers(spec: Json): Json[] {
    return [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])];
}

// check_capabilities_baseline.go: capabilities_allowed_1_0.
const defaultCapabilities = new Set(["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
    "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"]);
// check_restrictedVolumes.go: the volume sources restricted allows.
const restrictedVolumes = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim", "projected", "secret"];
const confinedSeccomp = (type: unknown) => type === "RuntimeDefault" || type === "Localhost";

function baseline(spec: Json): string[] {
    const failed: string[] = [];
    const all = containers(spec);
    const names = (pick: (c: Json) => boolean) => all.filter(pick).map((c) => c.name);
    // check_privileged.go
    const privileged = names((c) => c.securityContext?.privileged === true);
    if (privileged.length > 0) failed.push(`privileged (${privileged.join(", ")})`);
    // check_hostNamespaces.go
    const host = ["hostNetwork", "hostPID", "hostIPC"].filter((k) => spec[k] === true);
    if (host.length > 0) failed.push(`host namespaces (${host.join(", ")})`);
    // check_hostPathVolumes.go
    const hostPaths = (spec.volumes ?? []).filter((v: Json) => v.hostPath !== undefined).map((v: Json) => v.name);
    if (hostPaths.length > 0) failed.push(`hostPath volumes (${hostPaths.join(", ")})`);
    // check_hostPorts.go
    const hostPorts = names((c) => (c.ports ?? []).some((p: Json) => (p.hostPort ?? 0) !== 0));
    if (hostPorts.length > 0) failed.push(`hostPort (${hostPorts.join(", ")})`);
    // check_capabilities_baseline.go
    const added = names((c) => (c.securityContext?.capabilities?.add ?? []).some((cap: string) => !defaultCapabilities.has(cap)));
    if (added.length > 0) failed.push(`non-default capabilities (${added.join(", ")})`);
    // check_seccompProfile_baseline.go: an explicit Unconfined is refused
    const podSeccomp = spec.securityContext?.seccompProfile?.type;
    const unconfined = names((c) => c.securityContext?.seccompProfile?.type === "Unconfined");
    if (podSeccomp === "Unconfined" || unconfined.length > 0) failed.push("seccompProfile (Unconfined)");
    return failed;
}

function restricted(spec: Json): string[] {
    const failed: string[] = [];
    const all = containers(spec);
    const names = (pick: (c: Json) => boolean) => all.filter(pick).map((c) => c.name);
    const pod = spec.securityContext ?? {};
    // check_restrictedVolumes.go
    const volumes = (spec.volumes ?? []).filter((v: Json) => !restrictedVolumes.some((t) => v[t] !== undefined)).map((v: Json) => v.name);
    if (volumes.length > 0) failed.push(`restricted volume types (${volumes.join(", ")})`);
    // check_allowPrivilegeEscalation.go
    const escalating = names((c) => c.securityContext?.allowPrivilegeEscalation !== false);
    if (escalating.length > 0) failed.push(`allowPrivilegeEscalation != false (${escalating.join(", ")})`);
    // check_runAsNonRoot.go: false anywhere, or not true on the container nor the pod
    const root = names((c) => c.securityContext?.runAsNonRoot === false ||
        (c.securityContext?.runAsNonRoot === undefined && pod.runAsNonRoot !== true));
    if (pod.runAsNonRoot === false || root.length > 0) failed.push(`runAsNonRoot != true (${root.join(", ") || "pod"})`);
    // check_runAsUser.go
    const uid0 = names((c) => c.securityContext?.runAsUser === 0);
    if (pod.runAsUser === 0 || uid0.length > 0) failed.push("runAsUser=0");
    // check_seccompProfile_restricted.go
    const seccomp = names((c) => c.securityContext?.seccompProfile === undefined
        ? !confinedSeccomp(pod.seccompProfile?.type)
        : !confinedSeccomp(c.securityContext.seccompProfile.type));
    if (seccomp.length > 0) failed.push(`seccompProfile (${seccomp.join(", ")})`);
    // check_capabilities_restricted.go
    const capabilities = names((c) => !(c.securityContext?.capabilities?.drop ?? []).includes("ALL") ||
        (c.securityContext?.capabilities?.add ?? []).some((cap: string) => cap !== "NET_BIND_SERVICE"));
    if (capabilities.length > 0) failed.push(`unrestricted capabilities (${capabilities.join(", ")})`);
    return failed;
}

/** What the level refuses in a pod spec; [] when it admits the pod. */
export function podSecurityViolations(level: Level, spec: Json): string[] {
    if (level === "privileged") {
        return [];
    }
    return level === "baseline" ? baseline(spec) : [...baseline(spec), ...restricted(spec)];
}

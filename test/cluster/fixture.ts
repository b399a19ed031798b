// One control plane per Kubernetes version for each test process (envtest's recipe: a shared
// fixture), started on first use and stopped after the last spec, or when the process ends. The
// cluster tier runs its spec files four at a time in worker processes (test/cluster/.mocharc.json),
// so files share it within a worker.
import { ControlPlane } from "./controlPlane";

export { testedVersions } from "./controlPlane";

const planes = new Map<string, Promise<ControlPlane>>();

export function controlPlane(version: string): Promise<ControlPlane> {
    let plane = planes.get(version);
    if (plane === undefined) {
        plane = ControlPlane.start(version);
        planes.set(version, plane);
    }
    return plane;
}

/** Stops every control plane this process started. */
export async function stopAll(): Promise<void> {
    const started = [...planes.values()];
    planes.clear();
    for (const plane of await Promise.allSettled(started)) {
        if (plane.status === "fulfilled") {
            plane.value.stop();
        }
    }
}

// A root hook (mocha runs a top-level `after` once all specs are done).
after(stopAll);

#!/usr/bin/env bash
# A pipeline step: deploy a candidate without traffic, hand it to the gate, wait for the verdict.
# Exit 0 = promoted, 1 = rolled back or stalled (the reason is printed), 2 = timed out.
# The same step for Cloud Build (cloudbuild.yaml) and GitHub Actions (github-actions.yml) runs
# `rungate wait` from the image ghcr.io/rungate/rungate (no Java on the runner needed):
#   docker run --rm -v "$KUBECONFIG:/kubeconfig:ro" ghcr.io/rungate/rungate:0.1.0 wait SERVICE -n NS --kubeconfig /kubeconfig
set -euo pipefail
SERVICE=netra-backend-staging REGION=us-central1 IMAGE="$1"
REVISION="$SERVICE-$(date +%Y%m%d-%H%M%S)"

# 1. the candidate at 0% under the tag the policy probes (Cloud Run keeps serving the stable revision)
gcloud run deploy "$SERVICE" --region "$REGION" --image "$IMAGE" --revision-suffix "${REVISION#"$SERVICE"-}" \
  --no-traffic --tag candidate

# 2. point the gate at it (audited by the API server like any spec change)
kubectl -n deploys patch rpol "$SERVICE" --type merge -p "{\"spec\":{\"candidate\":{\"revision\":\"$REVISION\"}}}"

# 3. wait for promote or rollback; prints one line per change and, on failure, the reason and evidence
java -jar rungate.jar wait "$SERVICE" -n deploys --revision "$REVISION" --timeout 15m
# or, without the CLI: kubectl -n deploys wait --for=condition=Promoted --timeout=15m rpol/$SERVICE

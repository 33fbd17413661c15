#!/bin/bash
# Usage: identity.sh OUTDIR  — runs the identity configurations with the built CLI, writes OUTDIR/<name>/... and OUTDIR/hashes.txt
set -e
OUT=$1; rm -rf "$OUT"; mkdir -p "$OUT"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CLI=$ROOT/src/Gradscope.Cli/bin/Release/net10.0/linux-x64/Gradscope.Cli.dll
COMMON="--train-size 600 --test-size 200 --epochs 2 --batch 20 --seed 7 --no-report --threads 1"
run() { name=$1; shift; dotnet $CLI train $COMMON --name $name --out "$OUT/$name" "$@" >"$OUT/$name.log" 2>&1 || { echo "FAIL $name"; cat "$OUT/$name.log"; }; }
run sigmoid-f32-std   --layers 784,30,30,30,10 --activation sigmoid --cost quadratic --eta 3 --probes standard
run sigmoid-f64-full  --layers 784,30,30,30,10 --activation sigmoid --cost cross-entropy --eta 0.5 --probes full --precision float64
run relu-f32-softmax  --layers 784,40,40,10 --activation relu --cost log-likelihood --eta 0.1 --init he-normal --probes full
run tanh-f64-momentum --layers 784,30,30,10 --activation tanh --cost log-likelihood --eta 0.05 --optimizer momentum --probes standard --precision float64
run gelu-batchnorm    --layers 784,30,30,30,10 --activation gelu --cost log-likelihood --eta 0.1 --normalization batch --probes full
run relu-layernorm-res --layers 784,30,30,30,10 --activation relu --cost log-likelihood --eta 0.05 --normalization layer --residual --probes full
run sigmoid-res-f64   --layers 784,30,30,30,10 --activation sigmoid --cost cross-entropy --eta 0.5 --residual --probes standard --precision float64
run clip-adam         --layers 784,30,30,10 --activation tanh --cost log-likelihood --eta 0.01 --optimizer adam --clip-norm 0.5 --clip-value 0.05 --probes full
run rates-rmsprop     --layers 784,30,30,10 --activation sigmoid --cost cross-entropy --eta 0.01 --optimizer rmsprop --layer-rates 4,2,1 --probes standard
run trust-sgd         --layers 784,30,30,10 --activation relu --cost log-likelihood --eta 0.1 --trust-ratio 0.02 --lambda 1 --weight-rate 1.5 --bias-rate 0.5 --probes full
run kfac-f64          --layers 784,30,30,10 --activation tanh --cost log-likelihood --eta 0.05 --optimizer kfac --probes full --precision float64
run clip-sgd-bn-f64   --layers 784,30,30,10 --activation elu --cost log-likelihood --eta 0.2 --clip-norm 1 --normalization batch --probes standard --precision float64
run adamw-softplus    --layers 784,30,30,10 --activation softplus --cost log-likelihood --eta 0.01 --optimizer adamw --weight-decay 0.01 --probes minimal
cd "$OUT"
for d in */; do n=${d%/}; m=$(ls $n/*/metrics.jsonl); echo "$(sha256sum < $m | cut -c1-16) $(grep -v '"seconds"' $n/*/summary.json | sha256sum | cut -c1-16) $n"; done > hashes.txt
cat hashes.txt

#!/bin/sh
# Renders the offline voice clip bank that the hall display and the kiosk's speaker play
# (firmware/src/voice/, firmware/src/audio/).
#
# Run once when a wording changes, then commit the WAV files: kiosks never synthesise speech
# themselves (a centre's LAN has no internet and browsers' speech is silent on Linux).
#
#   sudo apt-get install -y espeak-ng python3
#   firmware/assets/voice/render.sh            # (re)render every clip in place
#   firmware/assets/voice/render.sh --check    # render into a scratch directory and compare
#
# clips.tsv lists "slug<TAB>text": each line becomes <slug>.wav spoken by espeak-ng's Vietnamese
# (Northern) voice, trimmed of the silence espeak adds so that words join without gaps. The
# words and phrases listed there are all that an announcement sentence (`[voice] sentence`,
# `[voice.kiosk] sentence`) may say besides the number: add a line and run this script to let
# a centre use a new word. chime.wav (three bell tones, 880/1174/1568 Hz) and pause.wav (250 ms
# of silence) are synthesised. Every file is 22 050 Hz, mono, 16-bit PCM — the format
# `voice::bank` checks.
#
# Reproducible: the same espeak-ng (Debian 12's 1.51) and the same clips.tsv give the same bytes;
# `--check` proves it (and fails, naming the files, when the committed clips were not rendered
# from clips.tsv by this script). Another espeak-ng version speaks slightly differently: the
# script says so and renders anyway only with ESPEAK_ANY_VERSION=1.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
VOICE="${VOICE:-vi}"
SPEED="${SPEED:-140}"   # words per minute; espeak's default 175 is fast for an elderly listener
PINNED="1.51"

version="$(espeak-ng --version | sed -n 's/.*text-to-speech: \([0-9.]*\).*/\1/p')"
if [ "$version" != "$PINNED" ] && [ "${ESPEAK_ANY_VERSION:-}" != "1" ]; then
    echo "espeak-ng $version is not the pinned $PINNED (Debian 12): the clips would change." >&2
    echo "Render on Debian 12, or set ESPEAK_ANY_VERSION=1 to render (and review) them anyway." >&2
    exit 2
fi

check=""
if [ "${1:-}" = "--check" ]; then
    check=1
    out="$(mktemp -d)"
    trap 'rm -rf "$out"' EXIT
    cp "$here/clips.tsv" "$out/clips.tsv"
else
    out="$here"
fi
cd "$out"

tab="$(printf '\t')"
while IFS="$tab" read -r slug text; do
    [ -n "$slug" ] || continue
    espeak-ng -v "$VOICE" -s "$SPEED" -w "$slug.wav" "$text"
done < clips.tsv

python3 - <<'EOF'
import array, math, wave

RATE = 22050

def write(name, samples):
    with wave.open(name, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(array.array("h", samples).tobytes())

# Trim what espeak leaves around each word: keep 10 ms before and 40 ms after the voice.
for line in open("clips.tsv", encoding="utf-8"):
    slug = line.split("\t")[0].strip()
    if not slug:
        continue
    with wave.open(slug + ".wav") as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (RATE, 1, 2), slug
        data = array.array("h", w.readframes(w.getnframes()))
    loud = [i for i, v in enumerate(data) if abs(v) > 300]
    start = max(0, loud[0] - RATE // 100)
    end = min(len(data), loud[-1] + RATE * 40 // 1000)
    write(slug + ".wav", data[start:end])

# The chime: three struck tones rising, each decaying, overlapping slightly.
tones, step, ring = (880.0, 1174.0, 1568.0), 0.28, 0.9
length = int(RATE * (step * (len(tones) - 1) + ring))
mix = [0.0] * length
for k, f in enumerate(tones):
    at = int(RATE * step * k)
    for i in range(int(RATE * ring)):
        t = i / RATE
        attack = min(1.0, t / 0.005)
        mix[at + i] += attack * math.exp(-4.5 * t) * (math.sin(2 * math.pi * f * t) + 0.3 * math.sin(4 * math.pi * f * t))
peak = max(abs(v) for v in mix)
write("chime.wav", [int(v / peak * 0.6 * 32767) for v in mix])

write("pause.wav", [0] * (RATE // 4))
EOF

if [ -n "$check" ]; then
    differ=0
    for f in ./*.wav; do
        if ! cmp -s "$f" "$here/$f"; then
            echo "differs from the committed clip: $f" >&2
            differ=1
        fi
    done
    for f in "$here"/*.wav; do
        [ -f "$out/$(basename "$f")" ] || { echo "committed but not in clips.tsv: $(basename "$f")" >&2; differ=1; }
    done
    [ "$differ" = 0 ] && echo "all $(ls ./*.wav | wc -l) clips are what clips.tsv and espeak-ng $version render"
    exit "$differ"
fi
echo "rendered $(ls ./*.wav | wc -l) clips into $(pwd)"

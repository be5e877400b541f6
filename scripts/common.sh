# Shared steps of scripts/lab, scripts/test and scripts/install-kernel. Source it; do not run it.
# Every step is idempotent and skips work whose inputs have not changed, so a second run is fast.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

say() { printf '\033[1m[promptlimits]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[promptlimits] error:\033[0m %s\n' "$*" >&2; exit 1; }

# The modules built against the library (bench/, spark/) take its jar from the local Maven repository under a
# version of this checkout's own: other checkouts on the machine install the plain version at any moment.
LIBRARY_VERSION="0.1.0-checkout-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
# Installs target/promptlimits.jar (built by mvn package) as org.promptlimits:promptlimits:$LIBRARY_VERSION.
install_library_for_modules() {
    sed '0,/<version>[^<]*<\/version>/s//<version>'"$LIBRARY_VERSION"'<\/version>/' "$ROOT/pom.xml" \
        > "$ROOT/target/module-pom.xml"
    (cd "$ROOT" && { mvn -q -B -o install:install-file -Dfile=target/promptlimits.jar -DpomFile=target/module-pom.xml \
        >/dev/null 2>&1 || mvn -q -B -ntp install:install-file -Dfile=target/promptlimits.jar \
        -DpomFile=target/module-pom.xml; })
}

# Java 17 or newer (a JDK: the kernel compiles cells with JShell), Maven, Python 3.9+ with venv and pip.
require_tools() {
    command -v java >/dev/null 2>&1 || die "java not found. Install a JDK 17 or newer, e.g. 'sudo apt-get install openjdk-17-jdk-headless' (Debian/Ubuntu) or 'brew install openjdk@17' (macOS)."
    command -v javac >/dev/null 2>&1 || die "javac not found: 'java' is a runtime only, and the Java kernel needs a full JDK 17+ (JShell). Install e.g. 'sudo apt-get install openjdk-17-jdk-headless'."
    local v
    v=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
    [ "${v%%.*}" -ge 17 ] 2>/dev/null || die "java is version ${v:-unknown}; PromptLimits needs Java 17 or newer (set JAVA_HOME or PATH to a JDK 17+)."
    command -v mvn >/dev/null 2>&1 || die "mvn (Apache Maven) not found. Install it, e.g. 'sudo apt-get install maven' or 'brew install maven'."
    command -v python3 >/dev/null 2>&1 || die "python3 not found. Install Python 3.9 or newer, e.g. 'sudo apt-get install python3 python3-venv python3-pip'."
    python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' || die "python3 is $(python3 -V 2>&1); PromptLimits needs Python 3.9 or newer."
    python3 -c 'import venv, ensurepip' 2>/dev/null || die "python3 cannot create virtual environments. Install venv support, e.g. 'sudo apt-get install python3-venv'."
}

# Fonts for plots rendered by a headless JVM. Installed with apt when missing and we are root.
require_fonts() {
    if command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list 2>/dev/null | head -n 1)" ]; then
        return 0
    fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing fontconfig and fonts-dejavu-core (plots need a font)"
        apt_install fontconfig fonts-dejavu-core
    else
        die "no fonts found (fc-list lists none): plots cannot be drawn. Install them, e.g. 'sudo apt-get install fontconfig fonts-dejavu-core'."
    fi
}

apt_install() {
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null 2>&1; then
        apt-get update -q >/dev/null 2>&1 || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null \
            || die "apt-get install $* failed"
    fi
}

# .venv with the pinned packages of one requirements file (which may include others with -r); installs
# only when that file or environment/requirements.txt changed since it was last installed. Installing a file
# also stamps the files it includes (scripts/test's install serves scripts/lab's, which the browser test runs).
ensure_venv() {
    local req="$1"
    if [ ! -x "$VENV/bin/python" ]; then
        say "creating $VENV"
        python3 -m venv "$VENV" || die "could not create $VENV with 'python3 -m venv'"
    fi
    local stamp want
    stamp=$(venv_stamp "$req")
    want=$(requirements_sum "$req")
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        say "installing Python packages into .venv from ${req#$ROOT/}"
        # --no-compile: pip byte-compiles all ~3,400 modules of the pinned packages (~10 s on one core); Python
        # compiles the few hundred a run imports on first import and keeps them
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-compile --retries "${PIP_RETRIES:-5}" -r "$req" \
            || die "pip install failed (see above). Offline? Set PIP_INDEX_URL to a reachable package index."
        echo "$want" > "$stamp"
        local included
        for included in $(sed -n 's/^-r[[:space:]]*//p' "$req"); do
            included="$(dirname "$req")/$included"
            [ -f "$included" ] && requirements_sum "$included" > "$(venv_stamp "$included")"
        done
    fi
}
venv_stamp() { printf '%s' "$VENV/.installed-$(basename "$1").sha256"; }
requirements_sum() { cat "$1" "$ROOT/environment/requirements.txt" | sha256sum | cut -d' ' -f1; }

# Builds target/promptlimits.jar and collects the runtime class path in target/kernel-lib; skipped when
# no source file or the pom changed since the last build.
build_library() {
    local jar="$ROOT/target/promptlimits.jar" lib="$ROOT/target/kernel-lib"
    if [ -f "$jar" ] && [ -d "$lib" ] && [ -z "$(find "$ROOT/pom.xml" "$ROOT/src/main" -newer "$jar" -print -quit)" ]; then
        return 0
    fi
    say "building the library (mvn package)"
    rm -rf "$lib"
    (cd "$ROOT" && mvn -q -B -DskipTests package) || die "the Maven build failed (see above)"
    touch "$jar"
}

# .venv with the notebook tools (nbformat, nbconvert) for the scripts that only read and write notebooks
# (scripts/assignment, scripts/site): environment/requirements.txt is installed when one is missing, so a fresh
# checkout gets the tools rather than a Python traceback (ModuleNotFoundError: No module named 'nbformat').
ensure_notebook_tools() {
    "$VENV/bin/python" -c "import nbformat, nbconvert" 2>/dev/null || ensure_venv "$ROOT/environment/requirements.txt"
}

# Installs the Java kernel (kernelspec 'java') into PREFIX/share/jupyter/kernels/java: the library and its
# dependencies (the Jupyter protocol jars included) are copied into the kernel folder, and kernel.json names
# them by absolute path, so notebooks need no path of their own and survive 'mvn clean'. The first install
# with a given java also writes a class-data archive for faster kernel starts (write_kernelspec.py).
install_kernel() {
    local prefix="$1" python="${2:-python3}"
    build_library
    local dir="$prefix/share/jupyter/kernels/java"
    mkdir -p "$dir" 2>/dev/null || die "PREFIX ($prefix) must be a folder that can be written: cannot create $dir"
    if [ ! -f "$dir/lib/.built" ] || [ "$ROOT/target/promptlimits.jar" -nt "$dir/lib/.built" ]; then
        rm -rf "$dir/lib.new" && mkdir -p "$dir/lib.new"
        cp "$ROOT/target/promptlimits.jar" "$ROOT"/target/kernel-lib/*.jar "$dir/lib.new/"
        rm -rf "$dir/lib" "$dir"/kernel-*.jsa && mv "$dir/lib.new" "$dir/lib"   # an archive fits only its jars
        touch "$dir/lib/.built"
    fi
    "$python" "$ROOT/scripts/write_kernelspec.py" "$dir" "$(command -v java)" || die "could not write $dir/kernel.json"
}

# Debian's Chromium for the browser tests; installed with apt when missing and we are root.
require_chromium() {
    if [ -x "${PROMPTLIMITS_CHROMIUM:-/usr/bin/chromium}" ]; then
        return 0
    fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing Debian's chromium for the browser tests"
        apt_install chromium
    else
        die "Chromium not found at ${PROMPTLIMITS_CHROMIUM:-/usr/bin/chromium}; the browser tests need it. Install it (e.g. 'sudo apt-get install chromium') or set PROMPTLIMITS_CHROMIUM to its path."
    fi
}

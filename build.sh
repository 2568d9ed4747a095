#!/usr/bin/env bash
# Bootstraps a bare Debian machine that has only the .NET SDK (Chromium, Node.js, the pinned pwsh),
# then hands over to build.ps1: ./build.sh [build|docs|test|demo|bench|package]
set -euo pipefail
cd "$(dirname "$0")"

need_packages=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need_packages+=(chromium)
[ -x /usr/bin/chromium-headless-shell ] || need_packages+=(chromium-headless-shell)
# A virtual display for the test of Connect-AlexaAccount -Interactive (a visible browser) on machines without one.
[ -n "${DISPLAY:-}" ] || command -v Xvfb >/dev/null 2>&1 || need_packages+=(xvfb)
# Playwright's driver runs on the machine's Node.js (20 or newer; build.ps1 falls back to the node in
# the Microsoft.Playwright NuGet package for tests when the distribution's is older).
command -v node >/dev/null 2>&1 || need_packages+=(nodejs)
# sshd for the test of Invoke-AlexaPrivacyPolicy over PowerShell remoting (its own sshd on a loopback port).
[ -x /usr/sbin/sshd ] || need_packages+=(openssh-server)
if [ ${#need_packages[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    echo "Installing ${need_packages[*]}..."
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need_packages[@]}" >/dev/null
  else
    echo "Install Chromium (${need_packages[*]}) with your package manager first." >&2
    exit 1
  fi
fi

dotnet tool restore >/dev/null
exec dotnet pwsh -NoProfile -NonInteractive -File ./build.ps1 "$@"

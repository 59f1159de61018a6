#!/bin/sh
# Install a new MetalPro binary, or go back to the previous one. Every release stays in
# $METALPRO_HOME/releases/<version>; `current` and `previous` are symlinks to two of them and
# /usr/local/bin/metalpro points at current/metalpro (the unit runs that path).
#
#   release.sh install ./metalpro   copy it in as a new release, make it current, restart
#   release.sh rollback             make the previous release current again, restart
#   release.sh status               show current and previous
#
# Restarts go through systemd, so with deploy/metalpro.socket nobody's request is refused.
# A rollback is safe across one release's migrations: they are additive (checked by
# store/schema_compat_test.go), so the previous binary runs on the new schema. For anything
# older, restore the database to before the upgrade instead (docs/RUNBOOK.md, "Rollback").
set -eu

HOME_DIR=${METALPRO_HOME:-/opt/metalpro}
BIN_LINK=${METALPRO_BIN_LINK:-/usr/local/bin/metalpro}
SYSTEMCTL=${SYSTEMCTL:-systemctl}
SERVICE=${METALPRO_SERVICE:-metalpro}

die() { echo "release.sh: $*" >&2; exit 1; }

# point LINK TARGET: replace the symlink LINK atomically (a rename, never a missing link).
point() {
	ln -sfn "$2" "$1.new"
	mv -fT "$1.new" "$1"
}

restart() {
	"$SYSTEMCTL" restart "$SERVICE"
	"$SYSTEMCTL" is-active --quiet "$SERVICE" || die "$SERVICE is not running after the restart: journalctl -u $SERVICE"
}

case "${1:-}" in
install)
	[ $# -eq 2 ] || die "usage: release.sh install <binary>"
	[ -x "$2" ] || die "$2 is not an executable"
	version=$("$2" version | awk '{print $2}') || die "$2 does not run (\`$2 version\` failed)"
	[ -n "$version" ] || die "$2 version printed nothing"
	name="$version-$(date -u +%Y%m%dT%H%M%SZ)"
	mkdir -p "$HOME_DIR/releases/$name"
	cp "$2" "$HOME_DIR/releases/$name/metalpro.tmp"
	mv "$HOME_DIR/releases/$name/metalpro.tmp" "$HOME_DIR/releases/$name/metalpro"
	if [ -L "$HOME_DIR/current" ]; then
		point "$HOME_DIR/previous" "$(readlink "$HOME_DIR/current")"
	fi
	point "$HOME_DIR/current" "releases/$name"
	[ -L "$BIN_LINK" ] || point "$BIN_LINK" "$HOME_DIR/current/metalpro"
	restart
	echo "current: $name"
	;;
rollback)
	[ -L "$HOME_DIR/previous" ] || die "no previous release to go back to"
	cur=$(readlink "$HOME_DIR/current")
	prev=$(readlink "$HOME_DIR/previous")
	point "$HOME_DIR/current" "$prev"
	point "$HOME_DIR/previous" "$cur"
	restart
	echo "current: ${prev#releases/} (rolled back from ${cur#releases/})"
	;;
status)
	echo "current: $(readlink "$HOME_DIR/current" 2>/dev/null || echo none)"
	echo "previous: $(readlink "$HOME_DIR/previous" 2>/dev/null || echo none)"
	;;
*)
	die "usage: release.sh install <binary> | rollback | status"
	;;
esac

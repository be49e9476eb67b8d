// SPDX-License-Identifier: MIT
/*
 * A static `true` for `make bench`: the smallest program a sandbox can start,
 * so startup-to-exit measures the sandbox and not the dynamic loader. Built
 * with musl-gcc -static by tests/bench/run.sh.
 */
int main(void)
{
	return 0;
}

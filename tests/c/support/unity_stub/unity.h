/*
 * A stand-in for Unity's unity.h (ThrowTheSwitch), which this machine's package sources do not
 * offer (Debian's libunity-dev is Ubuntu's desktop launcher library). It declares only what
 * liveness_unity.h uses, with the signature of Unity's UNITY_TEST_FAIL(line, message), and records
 * the failure instead of longjmp'ing, so test_inline_unity.c can check what the adapter passes.
 * It proves the adapter compiles and calls UNITY_TEST_FAIL rightly; it is not Unity.
 */
#ifndef UNITY_STUB_H
#define UNITY_STUB_H

extern int unity_stub_failures;
extern int unity_stub_line;
extern char unity_stub_message[4096];
void unity_stub_fail(const char *message, int line);

#define UNITY_TEST_FAIL(line, message) unity_stub_fail((message), (int)(line))

#endif

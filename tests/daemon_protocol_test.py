#!/usr/bin/python3
"""daemon_protocol_test.py: vmmd against a client that writes the wire
protocol by hand: what it answers to calls it does not know or cannot
decode, pipelined calls, keepalive, and that a client sending garbage is
dropped without disturbing the others.
"""
import struct
import time
import unittest

import daemon_testlib as lib
import tap_unittest
from daemon_testlib import REMOTE_PROGRAM, RawClient

VIR_ERR_NO_SUPPORT = 3
VIR_ERR_INTERNAL_ERROR = 1
VIR_ERR_RPC = 39
VIR_ERR_OPERATION_DENIED = 29


def setUpModule():
    global DAEMON
    DAEMON = lib.Daemon()
    DAEMON.start()


def tearDownModule():
    DAEMON.stop()


class CallTest(unittest.TestCase):
    def setUp(self):
        self.client = RawClient(DAEMON.sock)

    def tearDown(self):
        self.client.close()

    def assert_usable(self):
        """The connection still answers a real call."""
        hdr, payload = self.client.call(lib.PROC_AUTH_LIST, serial=99)
        self.assertEqual(hdr["status"], lib.OK)
        self.assertEqual(hdr["serial"], 99)
        # One entry: REMOTE_AUTH_NONE.
        self.assertEqual(payload, struct.pack(">II", 1, 0))

    def test_unknown_procedure(self):
        hdr, payload = self.client.call(99999, serial=7)
        self.assertEqual((hdr["type"], hdr["status"], hdr["serial"]),
                         (lib.REPLY, lib.ERROR, 7))
        code, _, message = lib.decode_error(payload)
        self.assertEqual(code, VIR_ERR_NO_SUPPORT)
        self.assertIn("99999", message)
        self.assert_usable()

    def test_unknown_program(self):
        hdr, payload = self.client.call(1, prog=0x12345678, serial=3)
        self.assertEqual(hdr["status"], lib.ERROR)
        self.assertEqual(lib.decode_error(payload)[0], VIR_ERR_RPC)
        hdr, payload = self.client.call(1, vers=7, serial=4)
        self.assertEqual(hdr["status"], lib.ERROR)
        self.assert_usable()

    def test_undecodable_arguments(self):
        # An optional string that claims 1000 bytes and has none.
        hdr, payload = self.client.call(lib.PROC_CONNECT_OPEN,
                                        lib.xdr_uint(1) + lib.xdr_uint(1000))
        self.assertEqual(hdr["status"], lib.ERROR)
        self.assertEqual(lib.decode_error(payload)[0], VIR_ERR_RPC)
        # A string over the 4 MiB limit is refused before it is read.
        hdr, payload = self.client.call(
            lib.PROC_CONNECT_OPEN, lib.xdr_uint(1) + lib.xdr_uint(1 << 30))
        self.assertEqual(hdr["status"], lib.ERROR)
        self.assert_usable()

    def test_call_before_open(self):
        hdr, payload = self.client.call(lib.PROC_CONNECT_GET_TYPE)
        self.assertEqual(hdr["status"], lib.ERROR)
        code, _, message = lib.decode_error(payload)
        self.assertEqual(code, VIR_ERR_INTERNAL_ERROR)
        self.assertIn("connection not open", message)
        self.client.open()
        hdr, payload = self.client.call(lib.PROC_CONNECT_GET_TYPE)
        self.assertEqual(hdr["status"], lib.OK)
        self.assertEqual(lib.Reader(payload).string(), "TEST")

    def test_open_twice(self):
        self.client.open()
        hdr, payload = self.client.call(
            lib.PROC_CONNECT_OPEN, lib.xdr_opt_string(None) + lib.xdr_uint(0))
        self.assertEqual(hdr["status"], lib.ERROR)
        self.assertIn("already open", lib.decode_error(payload)[2])

    def test_pipelined_calls(self):
        self.client.open()
        serials = list(range(100, 130))
        self.client.send(b"".join(
            lib.packet(REMOTE_PROGRAM, lib.PROC_CONNECT_GET_TYPE, s)
            for s in serials))
        answered = []
        for _ in serials:
            hdr, payload = self.client.recv_reply()
            self.assertEqual(hdr["status"], lib.OK)
            answered.append(hdr["serial"])
        self.assertEqual(sorted(answered), serials)

    def test_readonly_open_refuses_writes(self):
        self.client.open(flags=1)
        dom = lib.xdr_string("test") + b"\0" * 16 + lib.xdr_int(1)
        hdr, payload = self.client.call(34, dom)    # DOMAIN_SUSPEND
        self.assertEqual(hdr["status"], lib.ERROR)
        code, _, message = lib.decode_error(payload)
        self.assertEqual(code, VIR_ERR_OPERATION_DENIED)
        self.assertIn("read only access prevents vmmDomainSuspend", message)
        hdr, payload = self.client.call(lib.PROC_CONNECT_GET_TYPE)
        self.assertEqual(hdr["status"], lib.OK)

    def test_connect_close(self):
        self.client.open()
        hdr, payload = self.client.call(2, serial=5)
        self.assertEqual((hdr["status"], hdr["serial"]), (lib.OK, 5))
        self.assertTrue(self.client.is_closed())

    def test_features(self):
        expect = {9: 1, 10: 1, 14: 1, 15: 1, 16: 1, 1: 0, 8: 0, 1000: 0}
        for feature, supported in expect.items():
            hdr, payload = self.client.call(
                lib.PROC_CONNECT_SUPPORTS_FEATURE, lib.xdr_int(feature))
            self.assertEqual(hdr["status"], lib.OK)
            self.assertEqual(lib.Reader(payload).int(), supported,
                             "feature %d" % feature)

    def test_ping_answered(self):
        self.client.send(lib.packet(lib.KEEPALIVE_PROGRAM, lib.PING, 0,
                                    type_=lib.MESSAGE))
        hdr, payload = self.client.recv()
        self.assertEqual((hdr["prog"], hdr["proc"], hdr["type"]),
                         (lib.KEEPALIVE_PROGRAM, lib.PONG, lib.MESSAGE))
        self.assertEqual(payload, b"")
        self.assert_usable()


class SlowReaderTest(unittest.TestCase):
    def test_client_not_reading_events_is_dropped(self):
        with RawClient(DAEMON.sock) as idle, RawClient(DAEMON.sock) as actor:
            idle.open()
            # CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY(lifecycle, all).
            hdr, _ = idle.call(316, lib.xdr_int(0) + lib.xdr_uint(0))
            self.assertEqual(hdr["status"], lib.OK)
            actor.open()
            hdr, dom = actor.call(23, lib.xdr_string("test"))
            self.assertEqual(hdr["status"], lib.OK)
            # Two events per round; the idle client's queue overflows
            # long before the end.
            rounds = lib.OUTPUT_MAX_MESSAGES
            for i in range(rounds):
                for proc in (34, 28):       # DOMAIN_SUSPEND, DOMAIN_RESUME
                    hdr, _ = actor.call(proc, dom, serial=i)
                    self.assertEqual(hdr["status"], lib.OK)
            self.assertTrue(idle.is_closed(), "slow client kept")
            self.assertIn("does not read", DAEMON.read_log())
            hdr, _ = actor.call(lib.PROC_CONNECT_GET_TYPE)
            self.assertEqual(hdr["status"], lib.OK)


class GarbageTest(unittest.TestCase):
    def check_dropped(self, data):
        with RawClient(DAEMON.sock) as bad, RawClient(DAEMON.sock) as good:
            bad.send(data)
            self.assertTrue(bad.is_closed(), "vmmd kept the connection")
            hdr, _ = good.call(lib.PROC_AUTH_LIST)
            self.assertEqual(hdr["status"], lib.OK)
        self.assertTrue(DAEMON.alive())

    def test_garbage_bytes(self):
        self.check_dropped(b"GET / HTTP/1.0\r\n\r\n")

    def test_length_too_short(self):
        self.check_dropped(struct.pack(">I", 8) + b"\0" * 8)

    def test_length_too_long(self):
        self.check_dropped(struct.pack(">I", 0x7fffffff))

    def test_bad_header(self):
        # A well-framed message of type 77.
        self.check_dropped(lib.packet(REMOTE_PROGRAM, 66, 1, type_=77))


class KeepaliveTest(unittest.TestCase):
    def test_silent_client_pinged_then_dropped(self):
        config = "keepalive_interval = 1\nkeepalive_count = 2\n"
        with lib.Daemon(config=config) as daemon:
            with RawClient(daemon.sock) as client:
                hdr, _ = client.call(lib.PROC_CONNECT_SUPPORTS_FEATURE,
                                     lib.xdr_int(10))
                self.assertEqual(hdr["status"], lib.OK)
                start = time.monotonic()
                hdr, _ = client.recv()
                self.assertEqual((hdr["prog"], hdr["proc"]),
                                 (lib.KEEPALIVE_PROGRAM, lib.PING))
                # Answering keeps it; silence ends it.
                client.send(lib.packet(lib.KEEPALIVE_PROGRAM, lib.PONG, 0,
                                       type_=lib.MESSAGE))
                self.assertTrue(client.is_closed(timeout=8))
                self.assertGreater(time.monotonic() - start, 2)


if __name__ == "__main__":
    tap_unittest.main()

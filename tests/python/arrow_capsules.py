"""A minimal Arrow record batch producer for the tests, with ctypes only (Debian has no pyarrow): the
C Data Interface structs filled by hand and handed over through the PyCapsule interface, as pyarrow,
polars or DuckDB would hand them over."""

import ctypes


class ArrowSchema(ctypes.Structure):
    pass


ArrowSchema._fields_ = [
    ("format", ctypes.c_char_p), ("name", ctypes.c_char_p), ("metadata", ctypes.c_char_p), ("flags", ctypes.c_int64),
    ("n_children", ctypes.c_int64), ("children", ctypes.POINTER(ctypes.POINTER(ArrowSchema))),
    ("dictionary", ctypes.POINTER(ArrowSchema)), ("release", ctypes.c_void_p), ("private_data", ctypes.c_void_p)]


class ArrowArray(ctypes.Structure):
    pass


ArrowArray._fields_ = [
    ("length", ctypes.c_int64), ("null_count", ctypes.c_int64), ("offset", ctypes.c_int64),
    ("n_buffers", ctypes.c_int64), ("n_children", ctypes.c_int64), ("buffers", ctypes.POINTER(ctypes.c_void_p)),
    ("children", ctypes.POINTER(ctypes.POINTER(ArrowArray))), ("dictionary", ctypes.POINTER(ArrowArray)),
    ("release", ctypes.c_void_p), ("private_data", ctypes.c_void_p)]

_new_capsule = ctypes.pythonapi.PyCapsule_New
_new_capsule.restype = ctypes.py_object
_new_capsule.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
_SCHEMA_NAME = ctypes.create_string_buffer(b"arrow_schema")
_ARRAY_NAME = ctypes.create_string_buffer(b"arrow_array")


class RecordBatch:
    """Columns as (name, format, buffers, null_count); `buffers` are ctypes objects or None. The object keeps
    every buffer alive; release callbacks are NULL (the producer owns the memory)."""

    def __init__(self, length, columns):
        self._keep = []
        schemas = (ctypes.POINTER(ArrowSchema) * len(columns))()
        arrays = (ctypes.POINTER(ArrowArray) * len(columns))()
        for index, (name, format_, buffers, null_count) in enumerate(columns):
            schema = ArrowSchema(format_.encode(), name.encode(), None, 2, 0, None, None, None, None)
            pointers = (ctypes.c_void_p * len(buffers))(
                *[None if buffer is None else ctypes.cast(buffer, ctypes.c_void_p) for buffer in buffers])
            array = ArrowArray(length, null_count, 0, len(buffers), 0, pointers, None, None, None, None)
            self._keep += [schema, array, pointers, buffers]
            schemas[index] = ctypes.pointer(schema)
            arrays[index] = ctypes.pointer(array)
        no_buffers = (ctypes.c_void_p * 1)(None)
        self._schema = ArrowSchema(b"+s", b"", None, 0, len(columns), schemas, None, None, None)
        self._array = ArrowArray(length, 0, 0, 1, len(columns), no_buffers, arrays, None, None, None)
        self._keep += [schemas, arrays, no_buffers]

    def __arrow_c_array__(self, requested_schema=None):
        return (_new_capsule(ctypes.addressof(self._schema), _SCHEMA_NAME, None),
                _new_capsule(ctypes.addressof(self._array), _ARRAY_NAME, None))


def int64s(values):
    return (ctypes.c_int64 * len(values))(*values)


def utf8(values):
    data = "".join(values).encode()
    offsets = [0]
    for value in values:
        offsets.append(offsets[-1] + len(value.encode()))
    return (ctypes.c_int32 * len(offsets))(*offsets), ctypes.create_string_buffer(data, len(data) or 1)


def bitmap(bits):
    packed = bytearray((len(bits) + 7) // 8)
    for index, bit in enumerate(bits):
        if bit:
            packed[index // 8] |= 1 << (index % 8)
    return (ctypes.c_uint8 * len(packed)).from_buffer_copy(bytes(packed))

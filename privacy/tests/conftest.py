import pytest


@pytest.fixture
def s3_server():
    """A local S3 server (moto), the same fake the storage tests always used."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def face_jpeg_with_exif():
    """A real photo (scikit-image's astronaut) as JPEG with an EXIF block (camera make, GPS-like comment)."""
    import io

    from PIL import Image

    from analysis.tests.images import astronaut

    img = Image.fromarray(astronaut())
    exif = Image.Exif()
    exif[0x010F] = "TestCamera"  # Make
    exif[0x9286] = "taken at 48.8566N 2.3522E"  # UserComment
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=90, exif=exif.tobytes())
    data = out.getvalue()
    assert b"Exif" in data and b"TestCamera" in data
    return data

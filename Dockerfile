# One image for web, worker and beat. CPU torch by default; the inference worker in
# docker-compose.yml reserves a GPU (build with TORCH_INDEX for a CUDA build of torch 2.13).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu

RUN apt-get update && apt-get install -y --no-install-recommends \
        tesseract-ocr tesseract-ocr-eng gettext libgl1 libglib2.0-0 libpq5 curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements/ requirements/
RUN pip install torch==2.13.0 --index-url "$TORCH_INDEX" \
    && pip install --no-deps mediapipe==0.10.21 \
    && pip install -r requirements/base.txt

COPY . .
RUN SECRET_KEY=build python manage.py collectstatic --noinput -v 0 \
    && SECRET_KEY=build python manage.py compilemessages --ignore=node_modules -v 0 \
    && useradd --create-home --uid 1000 app && mkdir -p /app/var && chown -R app /app/var
USER app

EXPOSE 8000
# The production server command (gunicorn + uvicorn workers, WEB_CONCURRENCY processes), as `make run` starts it.
ENV WEB_HOST=0.0.0.0 WEB_PORT=8000
CMD ["scripts/web.sh"]

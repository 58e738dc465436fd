# The marketplace image: the web server, the Celery worker and Celery beat all run from it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY . .
RUN DJANGO_SETTINGS_MODULE=marketplace.settings.base python manage.py collectstatic --no-input \
    && useradd --create-home --uid 1000 marketplace \
    && mkdir -p /app/.data/media && chown -R marketplace /app/.data
USER marketplace

EXPOSE 8000
CMD ["gunicorn", "marketplace.wsgi:application", "--bind", "0.0.0.0:8000"]

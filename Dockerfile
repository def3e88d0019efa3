# MailGateway: multi-stage build. The runtime image runs as a non-root user, keeps Storage:Root on a volume and
# carries the shipped SCL model (published with the program). archive/ exists in the image, owned by mailgw, so a
# volume mounted there (the lab shares one between replicas) starts with that owner.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Gateway/Gateway.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# Debian's public suffix list, for DMARC's organisational domains.
RUN apt-get update && apt-get install -y --no-install-recommends publicsuffix && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 mailgw \
 && useradd --system --uid 10001 --gid mailgw --home-dir /var/lib/mailgw --shell /usr/sbin/nologin mailgw \
 && mkdir -p /var/lib/mailgw/archive && chown -R mailgw:mailgw /var/lib/mailgw
WORKDIR /app
COPY --from=build /app .
ENV MAILGW_CONFIG_DIR=/app/config \
    MAILGW_Storage__Root=/var/lib/mailgw \
    MAILGW_Smtp__Address=0.0.0.0 \
    MAILGW_Smtp__Port=2525 \
    MAILGW_Admin__Url=http://0.0.0.0:8025
VOLUME ["/var/lib/mailgw"]
EXPOSE 2525 8025
USER mailgw
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["dotnet", "/app/mailgw.dll", "health", "--url", "http://127.0.0.1:8025/healthz"]
ENTRYPOINT ["dotnet", "/app/mailgw.dll", "serve"]

using System.Text;
using Minio;
using Minio.DataModel.Args;
using Minio.Exceptions;
using TrafficActors.Settings;

namespace TrafficActors.Reference;

/// <summary>
/// The bucket holding the reference objects, over the Minio SDK: used by <c>traffic init</c> to provision it and by
/// <see cref="ReferenceDataActor"/> to watch and download it. Every call is bounded by the configured request timeout.
/// </summary>
public sealed class S3ReferenceBucket : IDisposable
{
    private const string CsvContentType = "text/csv";
    private const string JsonContentType = "application/json";
    private const string HoconContentType = "text/plain";
    private readonly IMinioClient _client;

    public S3ReferenceBucket(ReferenceS3Settings settings)
    {
        Settings = settings;
        if (!Uri.TryCreate(settings.Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException("S3 endpoint must be an absolute http:// or https:// URL (AWS_ENDPOINT_URL)", nameof(settings));
        _client = new MinioClient()
            .WithEndpoint(uri.Host, uri.Port)
            .WithSSL(uri.Scheme == Uri.UriSchemeHttps)
            .WithCredentials(settings.AccessKey, settings.SecretKey)
            .WithRegion(settings.Region)
            .WithTimeout((int)settings.RequestTimeout.TotalMilliseconds)
            .Build();
    }

    public ReferenceS3Settings Settings { get; }

    public Task<bool> BucketExistsAsync(CancellationToken ct) =>
        _client.BucketExistsAsync(new BucketExistsArgs().WithBucket(Settings.Bucket), ct);

    public Task MakeBucketAsync(CancellationToken ct) =>
        _client.MakeBucketAsync(new MakeBucketArgs().WithBucket(Settings.Bucket).WithLocation(Settings.Region), ct);

    /// <summary>The object's ETag, or null when the bucket has no such object.</summary>
    public async Task<string?> ETagAsync(string name, CancellationToken ct)
    {
        try
        {
            var stat = await _client.StatObjectAsync(new StatObjectArgs().WithBucket(Settings.Bucket).WithObject(name), ct);
            return stat.ETag;
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Finds the three reference objects (CSV preferred over JSON) and their ETags. A kind missing in both forms is a
    /// <see cref="ReferenceDataException"/>: the bucket does not hold a usable version.
    /// </summary>
    public async Task<IReadOnlyList<ReferenceObject>> LocateAsync(CancellationToken ct)
    {
        var found = new List<ReferenceObject>(ReferenceCsv.Files.Count);
        foreach (var csv in ReferenceCsv.Files)
        {
            if (await ETagAsync(csv, ct) is { } etag)
                found.Add(new ReferenceObject(csv, etag));
            else if (await ETagAsync(ReferenceCsv.JsonName(csv), ct) is { } jsonEtag)
                found.Add(new ReferenceObject(ReferenceCsv.JsonName(csv), jsonEtag));
            else
                throw new ReferenceDataException(csv, 0, $"not found in bucket '{Settings.Bucket}' (nor {ReferenceCsv.JsonName(csv)})");
        }

        return found;
    }

    public async Task<ReferenceDocument> DownloadAsync(string name, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await _client.GetObjectAsync(
            new GetObjectArgs().WithBucket(Settings.Bucket).WithObject(name).WithCallbackStream((s, c) => s.CopyToAsync(buffer, c)), ct);
        return new ReferenceDocument(name, Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    public async Task UploadAsync(ReferenceDocument doc, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(doc.Text);
        using var stream = new MemoryStream(bytes, writable: false);
        await _client.PutObjectAsync(
            new PutObjectArgs().WithBucket(Settings.Bucket).WithObject(doc.Name).WithStreamData(stream).WithObjectSize(bytes.Length)
                .WithContentType(doc.IsJson ? JsonContentType : Rules.RuleDocument.IsHocon(doc.Name) ? HoconContentType : CsvContentType), ct);
    }

    /// <summary>Removes the object; removing one that does not exist is not an error (S3 semantics).</summary>
    public Task RemoveAsync(string name, CancellationToken ct) =>
        _client.RemoveObjectAsync(new RemoveObjectArgs().WithBucket(Settings.Bucket).WithObject(name), ct);

    public void Dispose() => _client.Dispose();
}

using Kernelsmith.Agents.Node.Hosting;
using Kernelsmith.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddKernelsmithDefaults("kernelsmith-agent");
builder.AddNodeAgent();

var app = builder.Build();
app.MapNodeAgent();
app.Run();

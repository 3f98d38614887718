using Microsoft.Playwright;

namespace Berth.Web.Tests.Pages;

/// <summary>The sign-in screen: an email and a password field and a Sign in button, found by their labels.</summary>
public sealed class SignInPage(IPage page, Uri console)
{
    public IPage Page => page;

    public async Task GotoAsync() => await page.GotoAsync(new Uri(console, "/signin").ToString());

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Berth" });
    public ILocator Error => page.GetByRole(AriaRole.Alert);

    public async Task SubmitAsync(string email, string password)
    {
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>
    /// Signs in and waits for the Sessions page, whose circuit is then live. The sign-in page is opened with
    /// <c>?returnUrl=/sessions</c> (as when a stranger opens the Sessions page): without it the console lands on Summary.
    /// </summary>
    public async Task<SessionsPage> SignInAsync(string email, string password)
    {
        await page.GotoAsync(new Uri(console, "/signin?returnUrl=%2Fsessions").ToString());
        await SubmitAsync(email, password);
        var sessions = new SessionsPage(page, console);
        await sessions.WaitReadyAsync();
        return sessions;
    }
}

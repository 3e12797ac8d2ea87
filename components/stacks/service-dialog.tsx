"use client";

import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { DEFAULT_CONTAINER_NAMES, SERVICE_KINDS, type ServiceKind } from "@/server/domain/roles";
import { reportFormError, reportInvalidInput } from "@/components/settings/form-errors";
import { checkInput } from "@/components/ui/check-input";
import { ZServiceInput, ZUpdateServiceInput } from "@/server/domain/inventory";
import { api } from "@/trpc/react";
import type { StackView } from "./stack-form";
import type { ServiceView } from "./use-stack-services";

type ServiceDialogProps = {
  stack: StackView;
  /** Absent: add a service. */
  service?: ServiceView;
  open: boolean;
  onOpenChange: (open: boolean) => void;
};

export function ServiceDialog({ stack, service, open, onOpenChange }: ServiceDialogProps) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={service ? `Edit ${service.kind} service` : "Add service"}>
      <ServiceForm stack={stack} service={service} onDone={() => onOpenChange(false)} />
    </Dialog>
  );
}

function ServiceForm({ stack, service, onDone }: { stack: StackView; service?: ServiceView; onDone: () => void }) {
  const utils = api.useUtils();
  const hosts = api.host.list.useQuery();
  const [kind, setKind] = useState<ServiceKind>(service?.kind ?? "app");
  const [hostId, setHostId] = useState(service?.hostId ?? "");
  const [containerName, setContainerName] = useState(service?.containerName ?? DEFAULT_CONTAINER_NAMES.app);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);

  const handlers = {
    onSuccess: () => {
      toast.success("Service saved");
      void utils.stack.get.invalidate();
      void utils.service.list.invalidate({ stackId: stack.id });
      onDone();
    },
    onError: (err: unknown) => {
      const { fieldErrors, formError } = reportFormError(err, ["kind", "hostId", "containerName"]);
      setErrors(fieldErrors);
      setFormError(formError);
    },
  };
  const create = api.service.create.useMutation(handlers);
  const update = api.service.update.useMutation(handlers);

  function changeKind(next: ServiceKind) {
    // The container name follows the kind until someone types their own.
    if (containerName === DEFAULT_CONTAINER_NAMES[kind]) setContainerName(DEFAULT_CONTAINER_NAMES[next]);
    setKind(next);
  }

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    const input = { stackId: stack.id, hostId, kind, containerName, settings: service?.settings ?? {} };
    const checked = service ? checkInput(ZUpdateServiceInput, { ...input, id: service.id }) : checkInput(ZServiceInput, input);
    if (!checked.ok) return (setErrors(checked.errors), reportInvalidInput());
    setErrors({});
    if (service) update.mutate({ ...input, id: service.id });
    else create.mutate(input);
  }

  return (
    <form onSubmit={handleSubmit} noValidate className="grid gap-4">
      {formError ? (
        <Alert tone="danger" subtle>
          {formError}
        </Alert>
      ) : null}
      <Field label="Kind" error={errors.kind}>
        <Select required value={kind} onChange={(e) => changeKind(e.target.value as ServiceKind)} data-autofocus>
          {SERVICE_KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </Select>
      </Field>
      <Field
        label="Host"
        error={errors.hostId}
        hint={hosts.data?.length === 0 ? "No hosts yet: add one on the Hosts page first." : undefined}
      >
        <Select required value={hostId} onChange={(e) => setHostId(e.target.value)}>
          <option value="" disabled>
            {hosts.isPending ? "Loading hosts…" : "Choose a host"}
          </option>
          {hosts.data?.map((h) => (
            <option key={h.id} value={h.id}>
              {h.name} ({h.address}){h.roles.length ? ` · ${h.roles.join(", ")}` : ""}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Container name" error={errors.containerName}>
        <Input required mono value={containerName} onChange={(e) => setContainerName(e.target.value)} autoComplete="off" />
      </Field>
      <div className="flex justify-end gap-2">
        <Button type="button" variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" loading={create.isPending || update.isPending}>
          {service ? "Save service" : "Add service"}
        </Button>
      </div>
    </form>
  );
}
